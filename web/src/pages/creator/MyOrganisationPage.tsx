import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Notice } from '../../components/Alerts';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { EndMembership } from '../../components/EndMembership';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { StatusBadge } from '../../components/StatusBadge';
import { api } from '../../lib/api';
import { formatBps } from '../../lib/percent';
import { useSession } from '../../lib/session';
import type { CreatorInvitation, Items, Membership } from '../../lib/types';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';

export function MyOrganisationPage() {
  const { t } = useTranslation();
  const { me, refresh } = useSession();
  const invitations = useLoad<Items<CreatorInvitation>>('/api/me/invitations');
  const memberships = useLoad<Items<Membership>>('/api/me/memberships');
  const respond = useAction();
  const [notice, setNotice] = useState<string>();

  const afterChange = async (message?: string) => {
    setNotice(message);
    invitations.reload();
    memberships.reload();
    await refresh();
  };

  const answer = (invitation: CreatorInvitation, verb: 'accept' | 'decline') =>
    respond.run(async () => {
      await api('POST', `/api/me/invitations/${invitation.id}/${verb}`);
      const key = verb === 'accept' ? 'creatorOrg.acceptedNotice' : 'creatorOrg.declinedNotice';
      await afterChange(t(key, { name: invitation.organisation.name }));
    });

  const current = memberships.data?.items.find((membership) => membership.status === 'active');

  const invitationColumns: Column<CreatorInvitation>[] = [
    { key: 'organisation', header: t('columns.organisation'), cell: (row) => <strong>{row.organisation.name}</strong> },
    { key: 'share', header: t('columns.share'), cell: (row) => formatBps(row.share_bps), className: 'num' },
    { key: 'starts', header: t('columns.startsOn'), cell: (row) => row.starts_on },
    { key: 'ends', header: t('columns.endsOn'), cell: (row) => row.ends_on ?? t('common.none') },
    { key: 'status', header: t('columns.status'), cell: (row) => <StatusBadge status={row.status} /> },
    {
      key: 'actions',
      header: t('common.actions'),
      className: 'actions',
      cell: (row) =>
        row.status === 'pending' && (
          <div className="button-row">
            <button type="button" className="btn btn-primary btn-sm" disabled={respond.busy} data-testid="invitation-accept" onClick={() => void answer(row, 'accept')}>
              {t('creatorOrg.accept')}
            </button>
            <button type="button" className="btn btn-secondary btn-sm" disabled={respond.busy} data-testid="invitation-decline" onClick={() => void answer(row, 'decline')}>
              {t('creatorOrg.decline')}
            </button>
          </div>
        ),
    },
  ];

  const membershipColumns: Column<Membership>[] = [
    { key: 'organisation', header: t('columns.organisation'), cell: (row) => <strong>{row.organisation.name}</strong> },
    { key: 'share', header: t('columns.share'), cell: (row) => formatBps(row.share_bps), className: 'num' },
    { key: 'starts', header: t('columns.startsOn'), cell: (row) => row.starts_on },
    { key: 'ends', header: t('columns.endsOn'), cell: (row) => row.ends_on ?? t('common.none') },
    { key: 'status', header: t('columns.status'), cell: (row) => <StatusBadge status={row.status} /> },
    {
      key: 'actions',
      header: t('common.actions'),
      className: 'actions',
      cell: (row) => (
        <EndMembership
          membership={row}
          endPath={`/api/me/memberships/${row.id}/end`}
          onEnded={(ended) => void afterChange(t('membership.ended', { date: ended.ends_on ?? '' }))}
        />
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('creatorOrg.title')} description={t('creatorOrg.description')} />
      {notice && <Notice onDismiss={() => setNotice(undefined)}>{notice}</Notice>}
      <div className="current-org" data-testid="current-organisation">
        <span className="current-org-label">{t('creatorOrg.current')}</span>
        {me.organisation ? (
          <span className="current-org-name">
            {me.organisation.name}
            {current && <span className="muted"> · {t('creatorOrg.currentShare', { share: formatBps(current.share_bps) })}</span>}
          </span>
        ) : (
          <span className="muted">{t('creatorOrg.none')}</span>
        )}
      </div>
      <Panel title={t('creatorOrg.invitations')} testId="invitations">
        <ErrorAlert error={respond.error} />
        <Async loaded={invitations}>
          {(data) => <DataTable columns={invitationColumns} rows={data.items} empty={t('creatorOrg.invitationsEmpty')} testId="invitations-table" />}
        </Async>
      </Panel>
      <Panel title={t('creatorOrg.memberships')} testId="memberships">
        <Async loaded={memberships}>
          {(data) => <DataTable columns={membershipColumns} rows={data.items} empty={t('creatorOrg.membershipsEmpty')} testId="memberships-table" />}
        </Async>
      </Panel>
    </>
  );
}
