import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { dateOf } from '../../lib/dates';
import type { AdminOrganisation, Items } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';

export function OrganisationsPage() {
  const { t } = useTranslation();
  const organisations = useLoad<Items<AdminOrganisation>>('/api/admin/organisations');
  const columns: Column<AdminOrganisation>[] = [
    { key: 'name', header: t('columns.name'), cell: (row) => <strong>{row.name}</strong> },
    {
      key: 'admin',
      header: t('columns.admin'),
      cell: (row) => (
        <span className="person">
          <span>{row.admin.name}</span>
          <span className="muted">{row.admin.email}</span>
        </span>
      ),
    },
    { key: 'creators', header: t('columns.creators'), cell: (row) => row.creators, className: 'num' },
    { key: 'created', header: t('columns.createdAt'), cell: (row) => dateOf(row.created_at) },
  ];
  return (
    <>
      <PageHeader title={t('organisations.title')} description={t('organisations.description')} />
      <Panel>
        <Async loaded={organisations}>
          {(data) => <DataTable columns={columns} rows={data.items} empty={t('organisations.empty')} testId="organisations-table" />}
        </Async>
      </Panel>
    </>
  );
}
