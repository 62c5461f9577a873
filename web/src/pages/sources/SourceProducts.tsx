import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadMore } from '../../components/LoadMore';
import { ErrorAlert } from '../../components/Alerts';
import { DataTable, type Column } from '../../components/DataTable';
import { Loading } from '../../components/Loading';
import { Panel } from '../../components/Panel';
import { ProductImage } from '../../components/ProductImage';
import { StatusBadge } from '../../components/StatusBadge';
import { dateOf } from '../../lib/dates';
import { formatBpsShort, formatMoney } from '../../lib/money';
import type { Page, PoolItem } from '../../lib/types';
import { useCursorPages } from '../../lib/useCursorPages';

const PAGE_SIZE = 50;
type StatusFilter = '' | 'online' | 'offline';

/** The source's products, online and offline, fifty at a time. */
export function SourceProducts({ sourceId, generation }: { sourceId: string; generation: number }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StatusFilter>('');
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (status) params.set('status', status);
  const pages = useCursorPages<PoolItem, Page<PoolItem>>(`/api/sources/${encodeURIComponent(sourceId)}/products?${params.toString()}`);
  const { reload } = pages;

  // `generation` moves on after every import: read the list afresh.
  useEffect(() => {
    if (generation > 0) reload();
  }, [generation, reload]);

  const columns: Column<PoolItem>[] = [
    {
      key: 'product',
      header: t('products.product'),
      className: 'product-cell',
      cell: (row) => (
        <span className="product-line">
          <ProductImage src={row.image} className="product-thumb" />
          <span className="product-line-text">
            <span className="product-line-title" title={row.title} data-testid="source-product-title">
              {row.title}
            </span>
            <span className="muted small mono">{row.source_product_id}</span>
          </span>
        </span>
      ),
    },
    {
      key: 'price',
      header: t('products.finalPrice'),
      className: 'num',
      cell: (row) => (
        <span className="price-cell">
          <strong>{formatMoney(row.final_price, row.currency)}</strong>
          {row.final_price < row.price && <s className="muted small">{formatMoney(row.price, row.currency)}</s>}
        </span>
      ),
    },
    { key: 'rate', header: t('products.rate'), className: 'num', cell: (row) => formatBpsShort(row.commission_rate_bps) },
    { key: 'commission', header: t('products.commission'), className: 'num', cell: (row) => formatMoney(row.commission_amount, row.currency) },
    { key: 'status', header: t('columns.status'), cell: (row) => <StatusBadge status={row.status} /> },
    { key: 'updated', header: t('products.updatedAt'), className: 'nowrap', cell: (row) => dateOf(row.updated_at) },
  ];

  return (
    <Panel
      title={t('products.title')}
      testId="source-products-panel"
      actions={
        <div className="toolbar">
          {!pages.loading && (
            <span className="muted small" data-testid="source-products-count">
              {t('products.shown', { count: pages.items.length })}
            </span>
          )}
          <select
            className="input input-sm"
            value={status}
            aria-label={t('columns.status')}
            data-testid="source-products-status"
            onChange={(event) => setStatus(event.target.value as StatusFilter)}
          >
            <option value="">{t('products.allStatuses')}</option>
            <option value="online">{t('status.online')}</option>
            <option value="offline">{t('status.offline')}</option>
          </select>
        </div>
      }
    >
      <ErrorAlert error={pages.error} onRetry={pages.reload} />
      {pages.loading && pages.first === undefined ? (
        <Loading />
      ) : (
        <DataTable columns={columns} rows={pages.items} empty={t('products.empty')} testId="source-products" />
      )}
      <LoadMore pages={pages} testId="source-products-more" />
    </Panel>
  );
}
