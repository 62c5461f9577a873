import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Notice } from '../../components/Alerts';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { StatusBadge } from '../../components/StatusBadge';
import { api } from '../../lib/api';
import { dateTimeOf } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { setHashQuery, useHashQuery } from '../../lib/router';
import type { Items, Page, PayoutBatch, Withdrawal } from '../../lib/types';
import { useCursorPages } from '../../lib/useCursorPages';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { WithdrawalsTable } from '../earnings/WithdrawalsTable';
import { PayoutLineActions } from './PayoutLineActions';
import { PayoutResults } from './PayoutResults';

/**
 * 打款 (operator): the withdrawals waiting, gathering them into a payout batch, the batches with
 * their CSV for the bank, and the lines of the batch chosen (?batch=… in the hash), each marked
 * paid or failed once the money went out or bounced.
 */
export function PayoutsPage() {
  const { t } = useTranslation();
  const withdrawals = useLoad<Items<Withdrawal>>('/api/withdrawals?status=requested');
  const batches = useLoad<Items<PayoutBatch>>('/api/payout-batches');
  const chosen = new URLSearchParams(useHashQuery()).get('batch') ?? '';
  const choose = (id: string) => setHashQuery(new URLSearchParams(id ? { batch: id } : {}));
  const [created, setCreated] = useState<{ id: string; withdrawals: number }>();
  const action = useAction();
  const waiting = withdrawals.data?.items;

  const createBatch = () =>
    void action.run(async () => {
      const batch = await api<{ id: string; withdrawals: number }>('POST', '/api/payout-batches');
      setCreated(batch);
      withdrawals.reload();
      batches.reload();
      choose(batch.id);
    });

  const columns: Column<PayoutBatch>[] = [
    { key: 'created', header: t('batches.createdAt'), className: 'nowrap', cell: (row) => dateTimeOf(row.created_at) },
    { key: 'status', header: t('columns.status'), cell: (row) => <StatusBadge status={row.status} label={t(`batches.statuses.${row.status}`)} testId="batch-status" /> },
    { key: 'lines', header: t('batches.lines'), className: 'num', cell: (row) => row.withdrawals },
    { key: 'amount', header: t('batches.amount'), className: 'num', cell: (row) => formatMoney(row.amount, row.currency) },
    { key: 'paid', header: t('batches.paid'), className: 'num', cell: (row) => <span data-testid="batch-paid">{row.paid}</span> },
    { key: 'failed', header: t('batches.failed'), className: 'num', cell: (row) => row.failed },
    {
      key: 'actions',
      header: t('common.actions'),
      className: 'actions',
      cell: (row) => (
        <span className="button-row">
          <button type="button" className="btn btn-ghost btn-sm" aria-pressed={row.id === chosen} data-testid="batch-open" onClick={() => choose(row.id === chosen ? '' : row.id)}>
            {row.id === chosen ? t('batches.hideLines') : t('batches.showLines')}
          </button>
          <a className="btn btn-ghost btn-sm" href={`/api/payout-batches/${encodeURIComponent(row.id)}/csv`} download data-testid="batch-csv">
            CSV ↓
          </a>
        </span>
      ),
    },
  ];

  const refresh = () => {
    withdrawals.reload();
    batches.reload();
  };

  return (
    <>
      <PageHeader title={t('payouts.title')} description={t('payouts.description')} />
      <Panel
        title={t('payouts.waiting')}
        testId="waiting-panel"
        actions={
          <button type="button" className="btn btn-primary btn-sm" disabled={action.busy || !waiting?.length} data-testid="batch-create" onClick={createBatch}>
            {action.busy ? t('payouts.creating') : t('payouts.createBatch')}
          </button>
        }
      >
        <ErrorAlert error={action.error} />
        {created && <Notice onDismiss={() => setCreated(undefined)}>{t('payouts.created', { count: created.withdrawals })}</Notice>}
        <div className="dense-table">
          <Async loaded={withdrawals}>{() => <WithdrawalsTable rows={waiting ?? []} withParty empty={t('payouts.noneWaiting')} testId="waiting-withdrawals" />}</Async>
        </div>
      </Panel>
      <Panel title={t('batches.title')} testId="batches-panel">
        <Async loaded={batches}>{(data) => <DataTable columns={columns} rows={data.items} empty={t('batches.empty')} testId="payout-batches" />}</Async>
      </Panel>
      {chosen && <BatchLines key={chosen} batchId={chosen} onDecided={refresh} />}
    </>
  );
}

/** Lines of a batch shown at a time: a batch can hold every creator's withdrawal of the month. */
const LINES_PER_PAGE = 100;

function BatchLines({ batchId, onDecided }: { batchId: string; onDecided: () => void }) {
  const { t } = useTranslation();
  const lines = useCursorPages<Withdrawal, Page<Withdrawal>>(`/api/payout-batches/${encodeURIComponent(batchId)}?limit=${LINES_PER_PAGE}`);
  const decided = () => {
    lines.reload();
    onDecided();
  };
  return (
    <Panel title={t('batches.linesOf', { id: batchId })} testId="batch-lines-panel">
      <PayoutResults batchId={batchId} onRecorded={decided} />
      <ErrorAlert error={lines.error} onRetry={lines.reload} />
      <div className="dense-table">
        {lines.loading && lines.first === undefined ? (
          <Loading />
        ) : (
          <WithdrawalsTable rows={lines.items} withParty testId="batch-lines" actions={(row) => <PayoutLineActions withdrawal={row} onDecided={decided} />} />
        )}
      </div>
      <LoadMore pages={lines} testId="batch-lines-more" />
    </Panel>
  );
}
