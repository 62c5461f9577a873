import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { DataTable, type Column } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { LoadMore } from '../../components/LoadMore';
import { PageHeader } from '../../components/PageHeader';
import { SearchBox } from '../../components/SearchBox';
import { Panel } from '../../components/Panel';
import { dateOf } from '../../lib/dates';
import { changeHashQuery, useHashQuery } from '../../lib/router';
import type { AdminUser, Page, Role } from '../../lib/types';
import { useCursorPages } from '../../lib/useCursorPages';

const PAGE_SIZE = 50;
const ROLES: readonly Role[] = ['creator', 'org', 'merchant', 'colonel', 'operator'];

/**
 * 用户: every account, newest first, a page at a time, found by email, @handle or part of a name;
 * the search and the role live in the hash, so a reload keeps them.
 */
export function UsersPage() {
  const { t } = useTranslation();
  const query = new URLSearchParams(useHashQuery());
  const role = query.get('role') ?? '';
  const words = query.get('q') ?? '';

  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (role) params.set('role', role);
  if (words) params.set('q', words);
  const path = `/api/admin/users?${params.toString()}`;
  const pages = useCursorPages<AdminUser, Page<AdminUser>>(path);

  const filter = (changes: Record<string, string>) => changeHashQuery(query, changes);

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
      <Panel
        actions={
          <div className="toolbar">
            <SearchBox value={words} onSearch={(typed) => filter({ q: typed })} placeholder={t('users.searchPlaceholder')} label={t('users.search')} button={t('users.find')} inputClassName="input-search" testId="users-search" />
            <select className="input input-sm" value={role} aria-label={t('columns.role')} data-testid="users-role" onChange={(event) => filter({ role: event.target.value })}>
              <option value="">{t('users.allRoles')}</option>
              {ROLES.map((option) => (
                <option key={option} value={option}>
                  {t(`roles.${option}`)}
                </option>
              ))}
            </select>
          </div>
        }
      >
        <ErrorAlert error={pages.error} onRetry={pages.reload} />
        <div data-testid="users-list" data-state={pages.loading || pages.loadedPath !== path ? 'loading' : 'ready'}>
          {pages.loading && pages.first === undefined ? (
            <Loading />
          ) : (
            <DataTable columns={columns} rows={pages.items} empty={words ? t('users.noMatch', { words }) : t('users.empty')} testId="users-table" />
          )}
        </div>
        <LoadMore pages={pages} testId="users-more" />
      </Panel>
    </>
  );
}
