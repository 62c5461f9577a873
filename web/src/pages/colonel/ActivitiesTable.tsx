import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable, type Column } from '../../components/DataTable';
import { formatBps } from '../../lib/percent';
import type { ColonelActivity } from '../../lib/types';
import { ActivityStatusBadge, PlanWindow } from '../plans/planText';

const PRODUCTS_SHOWN = 3;

/** Colonel activities: the colonel's own (home), or those awaiting a merchant or the operator, with `actions` per row. */
export function ActivitiesTable({
  activities,
  empty,
  testId,
  showColonel = false,
  actions,
}: {
  activities: ColonelActivity[];
  empty: string;
  testId: string;
  showColonel?: boolean;
  actions?: (activity: ColonelActivity) => ReactNode;
}) {
  const { t } = useTranslation();
  const columns: Column<ColonelActivity>[] = [
    { key: 'name', header: t('activities.name'), cell: (row) => <strong data-testid="activity-name">{row.name}</strong> },
    ...(showColonel ? [{ key: 'colonel', header: t('activities.colonel'), className: 'nowrap', cell: (row: ColonelActivity) => row.colonel_name ?? row.colonel_id }] : []),
    { key: 'rate', header: t('activities.rate'), className: 'num', cell: (row) => <span data-testid="activity-rate">{formatBps(row.rate_bps)}</span> },
    { key: 'share', header: t('activities.share'), className: 'num', cell: (row) => <span data-testid="activity-share">{formatBps(row.share_bps)}</span> },
    { key: 'window', header: t('plans.window'), cell: (row) => <PlanWindow startsOn={row.starts_on} endsOn={row.ends_on} ended={row.status === 'active' && row.ended} /> },
    { key: 'products', header: t('activities.products'), cell: (row) => <ProductList activity={row} /> },
    { key: 'status', header: t('columns.status'), cell: (row) => <ActivityStatusBadge status={row.status} ended={row.ended} /> },
    ...(actions ? [{ key: 'actions', header: t('common.actions'), className: 'actions', cell: actions }] : []),
  ];
  return <DataTable columns={columns} rows={activities} empty={empty} testId={testId} />;
}

function ProductList({ activity }: { activity: ColonelActivity }) {
  const { t } = useTranslation();
  const products = activity.products ?? activity.product_ids.map((id) => ({ id, title: id, commission_rate_bps: 0 }));
  return (
    <ul className="activity-products" data-testid="activity-products" data-count={products.length}>
      {products.slice(0, PRODUCTS_SHOWN).map((product) => (
        <li key={product.id} title={product.title}>
          {product.title}
        </li>
      ))}
      {products.length > PRODUCTS_SHOWN && <li className="muted">{t('activities.more', { count: products.length - PRODUCTS_SHOWN })}</li>}
    </ul>
  );
}
