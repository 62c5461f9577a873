import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { dateOf } from '../../lib/dates';
import type { AdminUser, Items } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';

export function UsersPage() {
  const { t } = useTranslation();
  const users = useLoad<Items<AdminUser>>('/api/admin/users');
  const columns: Column<AdminUser>[] = [
    { key: 'name', header: t('columns.userName'), cell: (row) => <strong>{row.name}</strong> },
    { key: 'email', header: t('columns.email'), cell: (row) => row.email },
    { key: 'role', header: t('columns.role'), cell: (row) => <span className={`role-pill role-${row.role}`}>{t(`roles.${row.role}`)}</span> },
    { key: 'handle', header: t('columns.handle'), cell: (row) => (row.handle ? `@${row.handle}` : t('common.none')) },
    { key: 'created', header: t('columns.createdAt'), cell: (row) => dateOf(row.created_at) },
  ];
  return (
    <>
      <PageHeader title={t('users.title')} description={t('users.description')} />
      <Panel>
        <Async loaded={users}>{(data) => <DataTable columns={columns} rows={data.items} empty={t('users.empty')} testId="users-table" />}</Async>
      </Panel>
    </>
  );
}
