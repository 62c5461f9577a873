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
import { dateTimeOf, todayIso } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { setHashQuery, useHashQuery } from '../../lib/router';
import type { Items, SettlementRun, SettlementStarted, Statement } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { useCursorPages } from '../../lib/useCursorPages';
import { useLoad, type Loaded } from '../../lib/useLoad';
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
  const { followed, progress, outcome, follow, dismiss } = useFollowedRun(runs, choose);

  const columns: Column<SettlementRun>[] = [
    {
      key: 'asOf',
      header: t('settlement.asOf'),
      className: 'nowrap',
      cell: (row) => (
        <span className="status-cell">
          {dateTimeOf(row.as_of)}
          {/* As of a moment after it started: lines still inside their return window were settled. */}
          {Date.parse(row.as_of) > Date.parse(row.started_at) && (
            <span title={t('settlement.aheadHint')}>
              <StatusBadge status="ahead" label={t('settlement.aheadBadge')} tone="warn" testId="settlement-ahead" />
            </span>
          )}
        </span>
      ),
    },
    {
      key: 'status',
      header: t('columns.status'),
      cell: (row) =>
        row.status === 'running' && row.error !== null ? (
          <span title={row.error}>
            <StatusBadge status="stopped" label={t('settlement.stoppedBadge')} tone="danger" testId="settlement-stopped" />
          </span>
        ) : row.status === 'running' && !row.active ? (
          <span title={t('settlement.abandonedHint')}>
            <StatusBadge status="abandoned" label={t('settlement.abandonedBadge')} tone="warn" testId="settlement-abandoned" />
          </span>
        ) : (
          <StatusBadge status={row.status} />
        ),
    },
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
        <RunSettlement following={followed !== undefined} runningLines={progress?.lines} outcome={outcome} onStarted={follow} onDismiss={dismiss} />
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

/** How often a run that is going is read again (and the runs with it). */
const RUNS_REFRESH_MS = 1_000;

/** How a run the page followed ended: every due line settled, or stopped (with why, or left by a server that went away); a stopped run waits to be resumed. */
interface RunOutcome {
  run: SettlementRun;
  /** It resumed a run that had stopped before. */
  resumed: boolean;
}

/**
 * The run the page follows: the one started here (the server answers once the run is recorded and
 * settles it in the background), or one found going when the page opens — started elsewhere, by
 * the monthly schedule, or before a reload. It is read every second, the runs with it, so its
 * lines climb in the table, until it is done (its statements are then shown), stopped, or no longer
 * `active` (nothing moved it for minutes: the server working on it went away).
 */
function useFollowedRun(runs: Loaded<Items<SettlementRun>>, choose: (id: string) => void) {
  const [followed, setFollowed] = useState<{ id: string; resumed: boolean }>();
  const [progress, setProgress] = useState<SettlementRun>();
  const [outcome, setOutcome] = useState<RunOutcome>();
  const [found, setFound] = useState(false);
  const { data, reload } = runs;

  useEffect(() => {
    if (found || !data) return;
    setFound(true);
    const going = data.items.find((run) => run.active);
    if (going) setFollowed((current) => current ?? { id: going.id, resumed: false });
  }, [found, data]);

  useEffect(() => {
    if (!followed) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const run = await api<SettlementRun>('GET', `/api/settlements/${encodeURIComponent(followed.id)}`);
        if (stopped) return;
        setProgress(run);
        reload();
        if (run.status === 'completed' || !run.active) {
          setOutcome({ run, resumed: followed.resumed });
          setFollowed(undefined);
          setProgress(undefined);
          if (run.status === 'completed') choose(run.id);
          return;
        }
      } catch {
        // A missed read (the network, a restart): the next one tells.
      }
      if (!stopped) timer = setTimeout(() => void read(), RUNS_REFRESH_MS);
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // `choose` is made anew each render; the run is followed by its id alone.
  }, [followed, reload]);

  return {
    followed,
    progress,
    outcome,
    follow: (id: string, resumed: boolean) => {
      setOutcome(undefined);
      setFollowed({ id, resumed });
      reload();
    },
    dismiss: () => setOutcome(undefined),
  };
}

/** "¥1.61", or one amount per currency when a run settled several. */
function amountsText(byCurrency: Record<string, number> | undefined, none: string): string {
  const entries = Object.entries(byCurrency ?? {});
  return entries.length === 0 ? none : entries.map(([currency, minor]) => formatMoney(minor, currency)).join(' · ');
}

function RunSettlement({
  following,
  runningLines,
  outcome,
  onStarted,
  onDismiss,
}: {
  following: boolean;
  runningLines: number | undefined;
  outcome: RunOutcome | undefined;
  onStarted: (id: string, resumed: boolean) => void;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  const [asOf, setAsOf] = useState('');
  const action = useAction();
  const busy = action.busy || following;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      onDismiss();
      const started = await api<SettlementStarted>('POST', '/api/settlements', asOf ? { as_of: asOf } : {}, { prefer: 'respond-async' });
      onStarted(started.settlement_id, started.resumed);
    });
  };

  const run = outcome?.run;
  return (
    <form className="form" onSubmit={submit} data-testid="settle-form">
      <p className="muted">{t('settlement.runHint')}</p>
      <div className="inline-form">
        <Field label={t('settlement.asOfOptional')} htmlFor="settle-as-of">
          <input id="settle-as-of" className="input" type="date" value={asOf} data-testid="settle-as-of" onChange={(event) => setAsOf(event.target.value)} />
        </Field>
        <button type="submit" className="btn btn-primary settle-submit" disabled={busy} data-testid="settle-submit">
          {!busy ? t('settlement.run') : runningLines ? t('settlement.runningLines', { lines: runningLines }) : t('settlement.running')}
        </button>
      </div>
      {asOf > todayIso() && (
        // Allowed (the API takes any date), but money still inside its return window would be settled.
        <div className="alert alert-warn" role="status" data-testid="settle-future">
          <span className="alert-icon" aria-hidden="true">!</span>
          <span className="alert-body">{t('settlement.futureAsOf', { date: asOf })}</span>
        </div>
      )}
      {following && <p className="muted" data-testid="settle-following">{t('settlement.followingHint')}</p>}
      <ErrorAlert error={action.error} />
      {run && run.status === 'completed' && (
        <Notice onDismiss={onDismiss}>
          <span data-testid="settle-result" data-lines={run.lines} data-statements={run.summary?.statements ?? 0}>
            {t(outcome.resumed ? 'settlement.resumedDone' : 'settlement.done', {
              lines: run.lines,
              amount: amountsText(run.summary?.settled_minor, formatMoney(0)),
              statements: run.summary?.statements ?? 0,
            })}
          </span>
        </Notice>
      )}
      {run && run.status === 'running' && (
        <div className="alert alert-error" role="alert" data-testid="settle-stopped">
          <span className="alert-icon" aria-hidden="true">!</span>
          <span className="alert-body">{run.error !== null ? t('settlement.stopped', { lines: run.lines, error: run.error }) : t('settlement.abandoned', { lines: run.lines })}</span>
        </div>
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
