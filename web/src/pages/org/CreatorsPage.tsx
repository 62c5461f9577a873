import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Notice } from '../../components/Alerts';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { EndMembership } from '../../components/EndMembership';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { StatusBadge } from '../../components/StatusBadge';
import { formatBps } from '../../lib/percent';
import { href } from '../../lib/router';
import type { Items, Membership } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';
import { CreatorPerformance } from './CreatorPerformance';

export function CreatorsPage() {
  const { t } = useTranslation();
  const creators = useLoad<Items<Membership>>('/api/org/creators');
  const [notice, setNotice] = useState<string>();

  const columns: Column<Membership>[] = [
    {
      key: 'creator',
      header: t('columns.creator'),
      cell: (row) => (
        <span className="person">
          <strong>{row.creator.name}</strong>
          <span className="muted" data-testid="creator-handle">
            @{row.creator.handle}
          </span>
        </span>
      ),
    },
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
          endPath={`/api/org/memberships/${row.id}/end`}
          onEnded={(ended) => {
            setNotice(t('membership.ended', { date: ended.ends_on ?? '' }));
            creators.reload();
          }}
        />
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('orgCreators.title')}
        description={t('orgCreators.description')}
        actions={
          <a className="btn btn-primary" href={href('invitations')}>
            {t('orgCreators.invite')}
          </a>
        }
      />
      {notice && <Notice onDismiss={() => setNotice(undefined)}>{notice}</Notice>}
      <Panel>
        <Async loaded={creators}>{(data) => <DataTable columns={columns} rows={data.items} empty={t('orgCreators.empty')} testId="creators-table" />}</Async>
      </Panel>
      <CreatorPerformance />
    </>
  );
}
