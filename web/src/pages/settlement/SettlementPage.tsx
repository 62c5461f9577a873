import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadMore } from '../../components/LoadMore';
import { ErrorAlert, Notice } from '../../components/Alerts';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { StatusBadge } from '../../components/StatusBadge';
import { api } from '../../lib/api';
import { dateTimeOf } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { setHashQuery, useHashQuery } from '../../lib/router';
import type { Items, SettlementResult, SettlementRun, Statement } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { useCursorPages } from '../../lib/useCursorPages';
import { useLoad } from '../../lib/useLoad';
import { StatementsTable } from '../earnings/StatementsTable';
import { LedgerSettingsForm } from './LedgerSettingsForm';

/**
 * 结算 (operator): run a settlement now or as of a date, the runs so far, the statements of the run
 * chosen (?run=… in the hash), and the money settings the runs follow.
 */
export function SettlementPage() {
  const { t } = useTranslation();
  const runs = useLoad<Items<SettlementRun>>('/api/settlements');
  const chosen = new URLSearchParams(useHashQuery()).get('run') ?? '';
  const choose = (id: string) => setHashQuery(new URLSearchParams(id ? { run: id } : {}));
  // While a run started here is going (a large one takes minutes), its row is read again every
  // second: the operator sees it appear and its lines climb, batch by batch.
  const [settling, setSettling] = useState(false);
  const { reload } = runs;
  useEffect(() => {
    if (!settling) return;
    const timer = setInterval(reload, RUNS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [settling, reload]);
  const running = settling ? runs.data?.items.find((run) => run.status === 'running') : undefined;

  const columns: Column<SettlementRun>[] = [
    { key: 'asOf', header: t('settlement.asOf'), className: 'nowrap', cell: (row) => dateTimeOf(row.as_of) },
    { key: 'status', header: t('columns.status'), cell: (row) => <StatusBadge status={row.status} /> },
    { key: 'started', header: t('settlement.startedAt'), className: 'nowrap', cell: (row) => dateTimeOf(row.started_at) },
    { key: 'lines', header: t('settlement.lines'), className: 'num', cell: (row) => row.lines },
    { key: 'settled', header: t('settlement.settled'), className: 'num', cell: (row) => amountsText(row.summary?.settled_minor, t('common.none')) },
    { key: 'clawedBack', header: t('settlement.clawedBack'), className: 'num', cell: (row) => amountsText(row.summary?.clawed_back_minor, t('common.none')) },
    { key: 'statements', header: t('settlement.statements'), className: 'num', cell: (row) => row.summary?.statements ?? t('common.none') },
    {
      key: 'open',
      header: t('common.actions'),
      className: 'actions',
      cell: (row) => (
        <button type="button" className="btn btn-ghost btn-sm" aria-pressed={row.id === chosen} data-testid="settlement-statements" onClick={() => choose(row.id === chosen ? '' : row.id)}>
          {row.id === chosen ? t('settlement.hideStatements') : t('settlement.showStatements')}
        </button>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('settlement.title')} description={t('settlement.description')} />
      <Panel title={t('settlement.runTitle')} testId="settle-panel">
        <RunSettlement
          runningLines={running?.lines}
          onBusy={setSettling}
          onSettled={(result) => {
            runs.reload();
            choose(result.settlement_id);
          }}
        />
      </Panel>
      <Panel title={t('settlement.runs')} testId="settlement-runs-panel">
        <Async loaded={runs}>{(data) => <DataTable columns={columns} rows={data.items} empty={t('settlement.empty')} testId="settlement-runs" />}</Async>
      </Panel>
      {chosen && <RunStatements key={chosen} settlementId={chosen} />}
      <Panel title={t('ledgerSettings.title')} testId="ledger-settings-panel">
        <LedgerSettingsForm />
      </Panel>
    </>
  );
}

/** How often the runs are read again while a run started on this page is going. */
const RUNS_REFRESH_MS = 1_000;

/** "¥1.61", or one amount per currency when a run settled several. */
function amountsText(byCurrency: Record<string, number> | undefined, none: string): string {
  const entries = Object.entries(byCurrency ?? {});
  return entries.length === 0 ? none : entries.map(([currency, minor]) => formatMoney(minor, currency)).join(' · ');
}

function RunSettlement({ runningLines, onBusy, onSettled }: { runningLines: number | undefined; onBusy: (busy: boolean) => void; onSettled: (result: SettlementResult) => void }) {
  const { t } = useTranslation();
  const [asOf, setAsOf] = useState('');
  const [result, setResult] = useState<SettlementResult>();
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      setResult(undefined);
      onBusy(true);
      try {
        const answer = await api<SettlementResult>('POST', '/api/settlements', asOf ? { as_of: asOf } : {});
        setResult(answer);
        onSettled(answer);
      } finally {
        onBusy(false);
      }
    });
  };

  return (
    <form className="form" onSubmit={submit} data-testid="settle-form">
      <p className="muted">{t('settlement.runHint')}</p>
      <div className="inline-form">
        <Field label={t('settlement.asOfOptional')} htmlFor="settle-as-of">
          <input id="settle-as-of" className="input" type="date" value={asOf} data-testid="settle-as-of" onChange={(event) => setAsOf(event.target.value)} />
        </Field>
        <button type="submit" className="btn btn-primary settle-submit" disabled={action.busy} data-testid="settle-submit">
          {!action.busy ? t('settlement.run') : runningLines ? t('settlement.runningLines', { lines: runningLines }) : t('settlement.running')}
        </button>
      </div>
      <ErrorAlert error={action.error} />
      {result && (
        <Notice onDismiss={() => setResult(undefined)}>
          <span data-testid="settle-result" data-lines={result.lines} data-statements={result.statements}>
            {t(result.resumed ? 'settlement.resumedDone' : 'settlement.done', {
              lines: result.lines,
              amount: amountsText(result.settled_minor, formatMoney(0)),
              statements: result.statements,
            })}
          </span>
        </Notice>
      )}
    </form>
  );
}

/** Statements shown at a time: a run has one per party, thousands on a large alliance. */
const STATEMENTS_PER_PAGE = 200;

function RunStatements({ settlementId }: { settlementId: string }) {
  const { t } = useTranslation();
  const pages = useCursorPages<Statement>(`/api/statements?settlement=${encodeURIComponent(settlementId)}&limit=${STATEMENTS_PER_PAGE}`);
  return (
    <Panel title={t('settlement.statementsOf', { id: settlementId })} testId="run-statements-panel">
      <ErrorAlert error={pages.error} onRetry={pages.reload} />
      {pages.loading && pages.first === undefined ? <Loading /> : <StatementsTable rows={pages.items} withParty testId="run-statements" />}
      <LoadMore pages={pages} testId="run-statements-more" />
    </Panel>
  );
}
