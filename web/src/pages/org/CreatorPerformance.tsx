import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { Panel } from '../../components/Panel';
import { CreatorName } from '../../components/CreatorName';
import { formatMoney } from '../../lib/money';
import type { CreatorPerformance as Row, Items } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';

const DAYS = 30;

/** An organisation's creators by what they sold in the last 30 days, largest share first (GET /api/earnings/by-creator). */
export function CreatorPerformance() {
  const { t } = useTranslation();
  const rows = useLoad<Items<Row>>(`/api/earnings/by-creator?days=${DAYS}`);
  const columns: Column<Row & { id: string }>[] = [
    {
      key: 'creator',
      header: t('columns.creator'),
      cell: (row) => <CreatorName creator={row.creator} />,
    },
    { key: 'orders', header: t('orgCreators.orders'), className: 'num', cell: (row) => row.orders },
    { key: 'paid', header: t('orders.paid'), className: 'num', cell: (row) => formatMoney(row.paid_amount) },
    { key: 'refunded', header: t('orders.refunded'), className: 'num', cell: (row) => (row.refunded_amount > 0 ? formatMoney(row.refunded_amount) : t('common.none')) },
    { key: 'commission', header: t('orgCreators.commission'), className: 'num', cell: (row) => formatMoney(row.commission) },
    { key: 'share', header: t('orgCreators.share'), className: 'num', cell: (row) => <strong data-testid="performance-share">{formatMoney(row.share)}</strong> },
  ];
  return (
    <Panel title={t('orgCreators.performanceTitle', { days: DAYS })} testId="creator-performance">
      <Async loaded={rows}>
        {(data) => <DataTable columns={columns} rows={data.items.map((row) => ({ ...row, id: row.creator.id }))} empty={t('orgCreators.performanceEmpty', { days: DAYS })} testId="creator-performance-table" />}
      </Async>
    </Panel>
  );
}
