import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { Field } from '../../components/Field';
import { upload } from '../../lib/api';
import { FEED_FORMATS, PLATFORM_FORMATS, defaultFormatFor, defaultModeOf } from '../../lib/platforms';
import type { ImportMode, ImportResult, Source } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { RejectedRows } from './RejectedRows';

const FORMAT_BY_EXTENSION: Record<string, string> = { csv: 'csv', jsonl: 'jsonl', ndjson: 'jsonl', xml: 'google-merchant-xml' };

/** Uploads one file into the source as it is; the server parses it and says what it did with every row. */
export function ImportPanel({ source, withPlatformFormats, onImported }: { source: Source; withPlatformFormats: boolean; onImported: () => void }) {
  const { t } = useTranslation();
  const formats: readonly string[] = withPlatformFormats ? [...FEED_FORMATS, ...PLATFORM_FORMATS] : FEED_FORMATS;
  const [format, setFormat] = useState(() => defaultFormatFor(source.platform, formats));
  const [mode, setMode] = useState<ImportMode>(() => defaultModeOf(format));
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportResult>();
  const fileInput = useRef<HTMLInputElement>(null);
  const action = useAction();

  const chooseFormat = (next: string) => {
    setFormat(next);
    setMode(defaultModeOf(next));
  };

  const chooseFile = (chosen: File | null) => {
    setFile(chosen);
    setResult(undefined);
    action.clearError();
    const extension = chosen?.name.split('.').pop()?.toLowerCase() ?? '';
    const guessed = FORMAT_BY_EXTENSION[extension];
    if (guessed && (FEED_FORMATS as readonly string[]).includes(format)) chooseFormat(guessed);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    void action.run(async () => {
      setResult(undefined);
      const params = new URLSearchParams({ format, mode });
      const answer = await upload<ImportResult>(`/api/sources/${encodeURIComponent(source.id)}/imports?${params.toString()}`, file);
      setResult(answer);
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      onImported();
    });
  };

  return (
    <>
      <form className="form form-grid import-form" onSubmit={submit} data-testid="import-form">
        <Field label={t('imports.file')} htmlFor="import-file" hint={t('imports.fileHint')}>
          <label className={`file-picker${file ? ' file-picker-chosen' : ''}`}>
            <input
              ref={fileInput}
              id="import-file"
              className="file-picker-input"
              type="file"
              required
              accept=".csv,.jsonl,.ndjson,.json,.xml,text/csv,application/json,application/xml"
              data-testid="import-file"
              onChange={(event) => chooseFile(event.target.files?.[0] ?? null)}
            />
            <span className="file-picker-button">{t('imports.choose')}</span>
            <span className="file-picker-name" data-testid="import-file-name">
              {file ? `${file.name} · ${formatBytes(file.size)}` : t('imports.noFile')}
            </span>
          </label>
        </Field>
        <Field label={t('imports.format')} htmlFor="import-format">
          <select id="import-format" className="input" value={format} data-testid="import-format" onChange={(event) => chooseFormat(event.target.value)}>
            <optgroup label={t('imports.feedFormats')}>
              {FEED_FORMATS.map((option) => (
                <option key={option} value={option}>
                  {t(`imports.formats.${option}`)}
                </option>
              ))}
            </optgroup>
            {withPlatformFormats && (
              <optgroup label={t('imports.platformFormats')}>
                {PLATFORM_FORMATS.map((option) => (
                  <option key={option} value={option}>
                    {t(`imports.formats.${option}`)}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </Field>
        <Field label={t('imports.mode')} htmlFor="import-mode" hint={t(`imports.modeHint.${mode}`)}>
          <select id="import-mode" className="input" value={mode} data-testid="import-mode" onChange={(event) => setMode(event.target.value as ImportMode)}>
            <option value="full">{t('imports.modes.full')}</option>
            <option value="incremental">{t('imports.modes.incremental')}</option>
          </select>
        </Field>
        <div className="form-grid-full">
          {format === 'csv' && <p className="field-hint">{t('imports.csvHint')}</p>}
          <ErrorAlert error={action.error} />
          <button type="submit" className="btn btn-primary" disabled={action.busy || !file} data-testid="import-submit">
            {action.busy ? t('imports.uploading') : t('imports.upload')}
          </button>
        </div>
      </form>
      {result && <ImportOutcome result={result} />}
    </>
  );
}

function ImportOutcome({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  const counts = [
    ['imported', result.imported],
    ['updated', result.updated],
    ['offline', result.offline],
    ['rejected', result.rejected.length],
  ] as const;
  return (
    <div
      className={`import-result${result.rejected.length > 0 ? ' import-result-partial' : ''}`}
      role="status"
      data-testid="import-result"
      data-imported={result.imported}
      data-updated={result.updated}
      data-offline={result.offline}
      data-rejected={result.rejected.length}
    >
      <p className="import-result-title">{result.rejected.length > 0 ? t('imports.doneWithRejections') : t('imports.done')}</p>
      <dl className="import-counts">
        {counts.map(([key, count]) => (
          <div key={key} className={`import-count import-count-${key}`} data-testid={`import-${key}`}>
            <dt>{t(`imports.counts.${key}`)}</dt>
            <dd>{count.toLocaleString('en-US')}</dd>
          </div>
        ))}
      </dl>
      {result.rejected.length > 0 && <RejectedRows rows={result.rejected} testId="import-rejected" />}
    </div>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${Math.ceil(bytes / (1024 * 1024))} MB`;
}
