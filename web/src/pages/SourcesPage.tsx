import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Async } from '../components/Async';
import { DataTable, type Column } from '../components/DataTable';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import { StatusBadge } from '../components/StatusBadge';
import { dateOf } from '../lib/dates';
import { href } from '../lib/router';
import { useSession } from '../lib/session';
import type { CreatedSource, Items, Source, SourceKind } from '../lib/types';
import { useLoad } from '../lib/useLoad';
import { BindingRequests } from './showcase/BindingRequests';
import { SourceForm } from './SourceForm';
import { WebhookSecret } from './WebhookSecret';

const KINDS_BY_ROLE: Record<'operator' | 'merchant', readonly SourceKind[]> = {
  operator: ['platform', 'merchant', 'own_shop'],
  merchant: ['merchant'],
};

export function SourcesPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const own = me.user.role === 'merchant';
  const sources = useLoad<Items<Source>>('/api/sources');
  const [created, setCreated] = useState<CreatedSource>();

  const columns: Column<Source>[] = [
    {
      key: 'name',
      header: t('columns.name'),
      cell: (row) => (
        <a className="row-link" href={href(`sources/${row.id}`)} data-testid="source-link" data-source-id={row.id}>
          {row.name}
        </a>
      ),
    },
    { key: 'kind', header: t('columns.kind'), cell: (row) => t(`sources.kinds.${row.kind}`) },
    { key: 'platform', header: t('columns.platform'), cell: (row) => (row.platform ? t(`sources.platforms.${row.platform}`, { defaultValue: row.platform }) : t('common.none')) },
    { key: 'enabled', header: t('columns.enabled'), cell: (row) => <StatusBadge status={row.enabled ? 'enabled' : 'disabled'} /> },
    { key: 'id', header: 'ID', cell: (row) => <span className="mono small">{row.id}</span> },
    { key: 'created', header: t('columns.createdAt'), cell: (row) => dateOf(row.created_at) },
    {
      key: 'open',
      header: t('common.actions'),
      className: 'actions',
      cell: (row) => (
        <a className="btn btn-ghost btn-sm" href={href(`sources/${row.id}`)}>
          {t('sources.open')} →
        </a>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={own ? t('sources.titleOwn') : t('sources.title')} description={own ? t('sources.descriptionOwn') : t('sources.description')} />
      {created && <WebhookSecret source={created} onDismiss={() => setCreated(undefined)} />}
      <Panel title={t('sources.formTitle')}>
        <SourceForm
          kinds={KINDS_BY_ROLE[own ? 'merchant' : 'operator']}
          onCreated={(source) => {
            setCreated(source);
            sources.reload();
          }}
        />
      </Panel>
      <Panel>
        <Async loaded={sources}>{(data) => <DataTable columns={columns} rows={data.items} empty={t('sources.empty')} testId="sources-table" />}</Async>
      </Panel>
      {!own && <BindingRequests title={t('bindings.operatorTitle')} description={t('bindings.operatorDescription')} />}
    </>
  );
}
