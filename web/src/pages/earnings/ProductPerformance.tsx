import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { PlatformBadge } from '../../components/PlatformBadge';
import { formatMoney } from '../../lib/money';
import type { ProductPerformance as Row, Role } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';

const DAYS = 30;
const SHOWN = 20;

/**
 * 商品效果: what sold in the last 30 days, product by product, the ones that earned the viewer
 * most first (GET /api/earnings/by-product) — a creator's own commission, an organisation's or a
 * colonel's share of it.
 */
export function ProductPerformance({ role }: { role: Role }) {
  const { t } = useTranslation();
  const rows = useLoad<{ products: number; items: Row[] }>(`/api/earnings/by-product?days=${DAYS}&limit=${SHOWN}`);
  const columns: Column<Row & { id: string }>[] = [
    {
      key: 'product',
      header: t('productPerformance.product'),
      className: 'product-cell',
      cell: (row) => (
        <span className="product-line">
          {row.product?.image && <img className="product-thumb" src={row.product.image} alt="" loading="lazy" />}
          <span className="product-line-text">
            <span className="product-line-title">{row.product?.title ?? t('productPerformance.notInPool')}</span>
            <span className="muted small mono">{row.source_product_id}</span>
          </span>
        </span>
      ),
    },
    { key: 'source', header: t('orders.source'), cell: (row) => <PlatformBadge source={row.source} /> },
    { key: 'orders', header: t('orgCreators.orders'), className: 'num', cell: (row) => row.orders },
    { key: 'sales', header: t('productPerformance.sales'), className: 'num', cell: (row) => formatMoney(row.paid_amount - row.refunded_amount) },
    { key: 'commission', header: t('orgCreators.commission'), className: 'num', cell: (row) => formatMoney(row.commission) },
    { key: 'share', header: t(`productPerformance.shareOf.${role}`, { defaultValue: t('orgCreators.commission') }), className: 'num', cell: (row) => <strong data-testid="product-performance-share">{formatMoney(row.share)}</strong> },
  ];
  return (
    <Panel title={t('productPerformance.title', { days: DAYS })} testId="product-performance">
      <Async loaded={rows}>
        {(data) => (
          <>
            {data.products > data.items.length && <p className="muted small">{t('productPerformance.top', { shown: data.items.length, products: data.products })}</p>}
            <DataTable columns={columns} rows={data.items.map((row) => ({ ...row, id: `${row.source.id}:${row.source_product_id}` }))} empty={t('productPerformance.empty', { days: DAYS })} testId="product-performance-table" />
          </>
        )}
      </Async>
    </Panel>
  );
}
