import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { CreatorName } from '../../components/CreatorName';
import { api } from '../../lib/api';
import { dateOf } from '../../lib/dates';
import type { Binding, BindingStatus, Items } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';

const ORDER: Record<BindingStatus, number> = { pending: 0, approved: 1, rejected: 2, revoked: 3 };

/**
 * Creators asking to bind a store, for its owner (a merchant, a creator's own shop) or the
 * operator (every store): approve or reject a request, revoke an approved binding. Open requests first.
 */
export function BindingRequests({ title, description, showStore = true }: { title: string; description?: string; showStore?: boolean }) {
  const { t } = useTranslation();
  const bindings = useLoad<Items<Binding>>('/api/bindings');
  const [decided, setDecided] = useState<Record<string, Binding>>({});
  const action = useAction();

  const decide = (binding: Binding, verb: 'approve' | 'reject' | 'revoke') =>
    void action.run(async () => {
      const answer = await api<Binding>('POST', `/api/bindings/${encodeURIComponent(binding.id)}/${verb}`);
      setDecided((shown) => ({ ...shown, [answer.id]: answer }));
    });

  const columns: Column<Binding>[] = [
    {
      key: 'creator',
      header: t('columns.creator'),
      cell: (row) => <CreatorName creator={row.creator} />,
    },
    ...(showStore
      ? [
          {
            key: 'store',
            header: t('bindings.store'),
            cell: (row: Binding) => (
              <span className="person">
                <span>{row.source.name}</span>
                <span className="muted">{t(`sources.kinds.${row.source.kind}`, { defaultValue: row.source.kind })}</span>
              </span>
            ),
          },
        ]
      : []),
    { key: 'status', header: t('columns.status'), cell: (row) => <BindingBadge status={row.status} /> },
    { key: 'requested', header: t('bindings.requestedAt'), className: 'nowrap', cell: (row) => dateOf(row.requested_at) },
    { key: 'decided', header: t('bindings.decidedAt'), className: 'nowrap', cell: (row) => (row.decided_at ? dateOf(row.decided_at) : t('common.none')) },
    {
      key: 'actions',
      header: t('common.actions'),
      className: 'actions',
      cell: (row) =>
        row.status === 'pending' ? (
          <span className="button-row">
            <button type="button" className="btn btn-primary btn-sm" disabled={action.busy} data-testid="binding-approve" onClick={() => decide(row, 'approve')}>
              {t('bindings.approve')}
            </button>
            <button type="button" className="btn btn-secondary btn-sm" disabled={action.busy} data-testid="binding-reject" onClick={() => decide(row, 'reject')}>
              {t('bindings.reject')}
            </button>
          </span>
        ) : row.status === 'approved' ? (
          <button type="button" className="btn btn-ghost btn-sm" disabled={action.busy} data-testid="binding-revoke" onClick={() => decide(row, 'revoke')}>
            {t('bindings.revoke')}
          </button>
        ) : null,
    },
  ];

  return (
    <Panel title={title} testId="binding-requests">
      {description && <p className="muted small">{description}</p>}
      <ErrorAlert error={action.error} />
      <Async loaded={bindings}>
        {(data) => {
          const rows = data.items.map((binding) => decided[binding.id] ?? binding).sort((a, b) => ORDER[a.status] - ORDER[b.status] || (a.requested_at < b.requested_at ? 1 : -1));
          return <DataTable columns={columns} rows={rows} empty={t('bindings.empty')} testId="bindings-table" />;
        }}
      </Async>
    </Panel>
  );
}

const TONE: Record<BindingStatus, string> = { pending: 'warn', approved: 'ok', rejected: 'danger', revoked: 'muted' };

export function BindingBadge({ status, testId }: { status: BindingStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${TONE[status]}`} data-status={status} data-testid={testId}>
      {t(`bindings.status.${status}`)}
    </span>
  );
}
