import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable, type Column } from '../../components/DataTable';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTimeOf } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import type { Withdrawal, WithdrawalStatus } from '../../lib/types';

/** A withdrawal paid is done; one in a batch is under way. */
const TONE: Record<WithdrawalStatus, 'ok' | 'warn' | 'info' | 'danger'> = { requested: 'warn', in_batch: 'info', paid: 'ok', failed: 'danger' };

/** Withdrawals, newest first; the operator adds who asked and a column of actions. */
export function WithdrawalsTable({
  rows,
  withParty = false,
  actions,
  empty,
  testId,
}: {
  rows: Withdrawal[];
  withParty?: boolean;
  actions?: (row: Withdrawal) => ReactNode;
  empty?: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const columns: Column<Withdrawal>[] = [
    { key: 'requested', header: t('withdrawals.requestedAt'), className: 'nowrap', cell: (row) => dateTimeOf(row.requested_at) },
    ...(withParty
      ? [
          {
            key: 'party',
            header: t('withdrawals.party'),
            cell: (row: Withdrawal) => (
              <span className="person">
                <span title={row.party.id}>{row.party.name}</span>
                <span className="muted">{t(`statements.parties.${row.party.kind}`, { defaultValue: row.party.kind })}</span>
              </span>
            ),
          },
        ]
      : []),
    {
      key: 'payee',
      header: t('withdrawals.payee'),
      cell: (row) => (
        <span className="person">
          <span>{row.payee_name}</span>
          <span className="muted mono">{row.payee_account}</span>
        </span>
      ),
    },
    {
      key: 'amount',
      header: t('withdrawals.amount'),
      className: 'num',
      cell: (row) => (
        <strong data-testid="withdrawal-amount" data-amount={row.amount}>
          {formatMoney(row.amount, row.currency)}
        </strong>
      ),
    },
    {
      key: 'status',
      header: t('columns.status'),
      cell: (row) => (
        <span className="status-cell">
          <StatusBadge status={row.status} label={t(`withdrawals.statuses.${row.status}`)} tone={TONE[row.status]} testId="withdrawal-status" />
          {row.failure_reason && <span className="run-error">{row.failure_reason}</span>}
        </span>
      ),
    },
    { key: 'decided', header: t('withdrawals.decidedAt'), className: 'nowrap', cell: (row) => (row.decided_at ? dateTimeOf(row.decided_at) : t('common.none')) },
    ...(actions ? [{ key: 'actions', header: t('common.actions'), className: 'actions', cell: actions }] : []),
  ];
  return <DataTable columns={columns} rows={rows} empty={empty ?? t('withdrawals.empty')} testId={testId} />;
}
