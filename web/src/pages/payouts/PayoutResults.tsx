import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { upload } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { RejectedRows } from '../sources/RejectedRows';

interface Results {
  paid: number;
  failed: number;
  unchanged: number;
  rejected: { row: number; reference: string | null; code: string; reason: string }[];
}

/**
 * The bank's result file for a batch (POST /api/payout-batches/:id/results): every line it names
 * marked paid or failed at once, what it could not take listed by row. Sending it again changes
 * nothing.
 */
export function PayoutResults({ batchId, onRecorded }: { batchId: string; onRecorded: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [results, setResults] = useState<Results>();
  const input = useRef<HTMLInputElement>(null);
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    void action.run(async () => {
      setResults(undefined);
      setResults(await upload<Results>(`/api/payout-batches/${encodeURIComponent(batchId)}/results`, file));
      setFile(null);
      if (input.current) input.current.value = '';
      onRecorded();
    });
  };

  const counts = results ? ([['paid', results.paid], ['failed', results.failed], ['unchanged', results.unchanged], ['rejected', results.rejected.length]] as const) : [];
  return (
    <div className="payout-results">
      <form className="toolbar" onSubmit={submit} data-testid="payout-results-form">
        <label className={`file-picker${file ? ' file-picker-chosen' : ''}`}>
          <input
            ref={input}
            className="file-picker-input"
            type="file"
            accept=".csv,text/csv"
            aria-label={t('payoutResults.file')}
            data-testid="payout-results-file"
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setResults(undefined);
              action.clearError();
            }}
          />
          <span className="file-picker-button">{t('payoutResults.choose')}</span>
          <span className="file-picker-name">{file ? file.name : t('payoutResults.hint')}</span>
        </label>
        <button type="submit" className="btn btn-secondary btn-sm" disabled={action.busy || !file} data-testid="payout-results-submit">
          {action.busy ? t('payoutResults.recording') : t('payoutResults.record')}
        </button>
      </form>
      <ErrorAlert error={action.error} />
      {results && (
        <div className={`import-result${results.rejected.length > 0 ? ' import-result-partial' : ''}`} role="status" data-testid="payout-results">
          <dl className="import-counts">
            {counts.map(([key, count]) => (
              <div key={key} className="import-count" data-testid={`payout-results-${key}`}>
                <dt>{t(`payoutResults.counts.${key}`)}</dt>
                <dd>{count.toLocaleString('en-US')}</dd>
              </div>
            ))}
          </dl>
          {results.rejected.length > 0 && <RejectedRows rows={results.rejected.map((r) => ({ row: r.row, reason: r.reason }))} testId="payout-results-rejected-rows" />}
        </div>
      )}
    </div>
  );
}
