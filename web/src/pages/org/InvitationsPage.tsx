import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Notice } from '../../components/Alerts';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { StatusBadge } from '../../components/StatusBadge';
import { api } from '../../lib/api';
import { dateOf } from '../../lib/dates';
import { formatBps } from '../../lib/percent';
import type { Items, OrgInvitation } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { InvitationForm } from './InvitationForm';

export function InvitationsPage() {
  const { t } = useTranslation();
  const invitations = useLoad<Items<OrgInvitation>>('/api/org/invitations');
  const cancel = useAction();
  const [notice, setNotice] = useState<string>();

  const withdraw = (invitation: OrgInvitation) =>
    cancel.run(async () => {
      await api('POST', `/api/org/invitations/${invitation.id}/cancel`);
      invitations.reload();
    });

  const columns: Column<OrgInvitation>[] = [
    {
      key: 'creator',
      header: t('columns.creator'),
      cell: (row) => (
        <span className="person">
          <strong>{row.creator.name}</strong>
          <span className="muted">@{row.creator.handle}</span>
        </span>
      ),
    },
    { key: 'share', header: t('columns.share'), cell: (row) => formatBps(row.share_bps), className: 'num' },
    { key: 'starts', header: t('columns.startsOn'), cell: (row) => row.starts_on },
    { key: 'ends', header: t('columns.endsOn'), cell: (row) => row.ends_on ?? t('common.none') },
    { key: 'status', header: t('columns.status'), cell: (row) => <StatusBadge status={row.status} /> },
    { key: 'created', header: t('columns.createdAt'), cell: (row) => dateOf(row.created_at) },
    {
      key: 'actions',
      header: t('common.actions'),
      className: 'actions',
      cell: (row) =>
        row.status === 'pending' && (
          <button type="button" className="btn btn-secondary btn-sm" disabled={cancel.busy} data-testid="invitation-cancel" onClick={() => void withdraw(row)}>
            {t('orgInvitations.cancel')}
          </button>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('orgInvitations.title')} description={t('orgInvitations.description')} />
      {notice && <Notice onDismiss={() => setNotice(undefined)}>{notice}</Notice>}
      <Panel title={t('orgInvitations.formTitle')}>
        <InvitationForm
          onSent={(invitation) => {
            setNotice(t('orgInvitations.sent', { handle: invitation.creator.handle }));
            invitations.reload();
          }}
        />
      </Panel>
      <Panel title={t('orgInvitations.list')}>
        <ErrorAlert error={cancel.error} />
        <Async loaded={invitations}>{(data) => <DataTable columns={columns} rows={data.items} empty={t('orgInvitations.empty')} testId="org-invitations-table" />}</Async>
      </Panel>
    </>
  );
}
