import { useTranslation } from 'react-i18next';
import { LoadMore } from '../../components/LoadMore';
import { ErrorAlert } from '../../components/Alerts';
import { DataTable, type Column } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { PlatformBadge } from '../../components/PlatformBadge';
import { SearchBox } from '../../components/SearchBox';
import { dateTimeOf } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { changeHashQuery, href, useHashQuery } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { Order, OrderStatus, Page } from '../../lib/types';
import { useCursorPages } from '../../lib/useCursorPages';
import { AttributionBadge, CommissionBadge, OrderStatusBadge } from './OrderBadges';
import { commissionStatusesOf, firstProductOf } from './orderText';

const PAGE_SIZE = 50;
const STATUSES: readonly OrderStatus[] = ['created', 'paid', 'shipped', 'completed', 'refunded', 'cancelled'];

/**
 * 订单: the orders the viewer may see, newest first — credited to the creator (from payment on,
 * newest payment first, as alliance platforms show a creator's orders), sharing in the
 * organisation's commission, of the merchant's sources, or all of them for the operator, who also
 * has the unattributed ones on a tab of their own. Filters live in the hash, so a reload keeps them.
 */
export function OrdersPage() {
  const { t } = useTranslation();
  const role = useSession().me.user.role;
  const operator = role === 'operator';
  const query = new URLSearchParams(useHashQuery());
  const status = query.get('status') ?? '';
  // The platform's order number a support request names: looked up exactly, across the viewer's orders.
  const orderNumber = query.get('order') ?? '';
  const unattributed = operator && query.get('attribution') === 'unattributed';
  // A creator's list starts at payment: an order still `created` is never in it.
  const statuses = role === 'creator' ? STATUSES.filter((option) => option !== 'created') : STATUSES;

  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (orderNumber) params.set('order', orderNumber);
  if (status) params.set('status', status);
  if (unattributed) params.set('attribution', 'unattributed');
  const path = `/api/orders?${params.toString()}`;
  const pages = useCursorPages<Order, Page<Order>>(path);

  const filter = (changes: Record<string, string>) => changeHashQuery(query, changes);

  const columns: Column<Order>[] = [
    {
      key: 'time',
      header: t('orders.timeAndStatus'),
      className: 'nowrap',
      cell: (row) => (
        <span className="status-cell">
          {dateTimeOf(row.paid_at ?? row.ordered_at)}
          <OrderStatusBadge status={row.status} />
        </span>
      ),
    },
    {
      key: 'product',
      header: t('orders.product'),
      cell: (row) => (
        <a className="order-cell" href={href(`orders/${encodeURIComponent(row.id)}`)} data-testid="order-link">
          <span className="order-cell-title">
            {firstProductOf(row)}
            {row.lines.length > 1 && <span className="muted small"> {t('orders.moreLines', { count: row.lines.length - 1 })}</span>}
          </span>
          <span className="muted small mono">{row.source_order_id}</span>
        </a>
      ),
    },
    { key: 'source', header: t('orders.source'), cell: (row) => <PlatformBadge source={row.source} /> },
    { key: 'paid', header: t('orders.paid'), className: 'num', cell: (row) => <span data-testid="order-paid">{formatMoney(row.paid_amount, row.currency)}</span> },
    { key: 'refunded', header: t('orders.refunded'), className: 'num', cell: (row) => (row.refunded_amount > 0 ? formatMoney(row.refunded_amount, row.currency) : t('common.none')) },
    {
      key: 'commission',
      header: t(`orders.commissionOf.${role}`, { defaultValue: t('orders.commissionOf.operator') }),
      className: 'num',
      cell: (row) => (
        <span className="commission-cell">
          <strong data-testid="order-commission" data-amount={row.commission}>
            {formatMoney(row.commission, row.currency)}
          </strong>
          {commissionStatusesOf(row).map((commission) => (
            <CommissionBadge key={commission} status={commission} />
          ))}
        </span>
      ),
    },
    {
      key: 'attribution',
      header: t('orders.attribution'),
      cell: (row) => (
        <span className="status-cell">
          <AttributionBadge rule={row.attribution} />
          {role !== 'creator' && row.creator && <span className="small">{row.creator.name}</span>}
        </span>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('orders.title')} description={t(`orders.description.${role}`)} />
      {operator && (
        <nav className="tabs" aria-label={t('nav.orders')}>
          {(['all', 'unattributed'] as const).map((tab) => {
            const active = (tab === 'unattributed') === unattributed;
            return (
              <a
                key={tab}
                href={`${href('orders')}${tab === 'unattributed' ? '?attribution=unattributed' : ''}`}
                className={`tab${active ? ' tab-active' : ''}`}
                aria-current={active ? 'page' : undefined}
                data-testid={`orders-tab-${tab}`}
              >
                {t(`orders.tabs.${tab}`)}
              </a>
            );
          })}
        </nav>
      )}
      <Panel
        testId="orders-panel"
        actions={
          <div className="toolbar">
            <SearchBox value={orderNumber} onSearch={(words) => filter({ order: words })} placeholder={t('orders.numberPlaceholder')} label={t('orders.number')} button={t('orders.find')} inputClassName="mono" testId="orders-number" />
            <select className="input input-sm" value={status} aria-label={t('columns.status')} data-testid="orders-status" onChange={(event) => filter({ status: event.target.value })}>
              <option value="">{t('orders.allStatuses')}</option>
              {statuses.map((option) => (
                <option key={option} value={option}>
                  {t(`orders.statuses.${option}`)}
                </option>
              ))}
            </select>
          </div>
        }
      >
        <ErrorAlert error={pages.error} onRetry={pages.reload} />
        <div className="dense-table" data-testid="orders-list" data-state={pages.loading || pages.loadedPath !== path ? 'loading' : 'ready'}>
          {pages.loading && pages.first === undefined ? (
            <Loading />
          ) : (
            <DataTable columns={columns} rows={pages.items} empty={orderNumber ? t('orders.noSuchNumber', { number: orderNumber }) : t(unattributed ? 'orders.emptyUnattributed' : 'orders.empty')} testId="orders-table" />
          )}
        </div>
        <LoadMore pages={pages} testId="orders-more" />
      </Panel>
    </>
  );
}
