import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { Fact } from '../../components/Fact';
import { DataTable, type Column } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { PlatformBadge } from '../../components/PlatformBadge';
import { attributionReasons } from '../../lib/attribution';
import { dateTimeOf } from '../../lib/dates';
import { formatBpsShort, formatMoney } from '../../lib/money';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { OrderDetail, OrderEvent, OrderLine } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';
import { AttributionForm } from './AttributionForm';
import { AttributionBadge, CommissionBadge, OrderStatusBadge } from './OrderBadges';

/** #/orders/<id>: the order, its lines with the viewer's commission, every event applied to it, and (operator) attributing it by hand. */
export function OrderDetailPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const order = useLoad<OrderDetail>(`/api/orders/${encodeURIComponent(id)}`);

  return (
    <>
      <a className="back-link" href={href('orders')} data-testid="order-back">
        ← {t('nav.orders')}
      </a>
      <Async loaded={order}>
        {(data) => (
          <>
            <PageHeader title={t('orderDetail.title', { id: data.source_order_id })} description={data.source.name} />
            <OrderFacts order={data} />
            <Panel title={t('orderDetail.lines')} testId="order-lines">
              <OrderLines order={data} />
            </Panel>
            {me.user.role === 'operator' && data.attribution === 'unattributed' && (
              <Panel title={t('attribute.title')} testId="attribute-panel">
                <AttributionForm orderId={data.id} onAttributed={order.reload} />
              </Panel>
            )}
            {data.history.length > 0 && (
              <Panel title={t('orderDetail.history')} testId="order-history-panel">
                <OrderHistory events={data.history} />
              </Panel>
            )}
          </>
        )}
      </Async>
    </>
  );
}

function OrderFacts({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const when = (at: string | null) => (at ? dateTimeOf(at) : t('common.none'));
  // The operator's only: the rule that credited the order, or why none could.
  const reasons = attributionReasons(order.attribution_detail);
  return (
    <dl className="facts" data-testid="order-facts">
      <Fact label={t('orders.source')}>
        <PlatformBadge source={order.source} />
      </Fact>
      <Fact label={t('columns.status')}>
        <OrderStatusBadge status={order.status} />
      </Fact>
      <Fact label={t('orderDetail.orderedAt')}>{when(order.ordered_at)}</Fact>
      <Fact label={t('orderDetail.paidAt')}>{when(order.paid_at)}</Fact>
      <Fact label={t('orderDetail.completedAt')}>{when(order.completed_at)}</Fact>
      <Fact label={t('orders.paid')}>{formatMoney(order.paid_amount, order.currency)}</Fact>
      <Fact label={t('orders.refunded')}>{formatMoney(order.refunded_amount, order.currency)}</Fact>
      <Fact label={t('orderDetail.commission')}>
        <span data-testid="order-detail-commission">{formatMoney(order.commission, order.currency)}</span>
      </Fact>
      <Fact label={t('orders.attribution')}>
        <span className="status-cell">
          <AttributionBadge rule={order.attribution} />
          {order.creator && (
            <span data-testid="order-creator">
              {order.creator.name}
              {order.creator.handle && <span className="muted small"> @{order.creator.handle}</span>}
            </span>
          )}
        </span>
      </Fact>
      {(order.click_id || order.sub_id) && (
        <Fact label={order.click_id ? t('orderDetail.clickId') : t('orderDetail.subId')}>
          <span className="mono small">{order.click_id ?? order.sub_id}</span>
        </Fact>
      )}
      {reasons.length > 0 && (
        <Fact label={t('orderDetail.attributionWhy')} wide testId="order-attribution-why">
          {reasons.map((r) => t(r.key, r.values)).join(t('common.sentenceSeparator'))}
        </Fact>
      )}
    </dl>
  );
}

function OrderLines({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const money = (minor: number) => formatMoney(minor, order.currency);
  const columns: Column<OrderLine & { id: string }>[] = [
    {
      key: 'product',
      header: t('orders.product'),
      cell: (line) => (
        <span className="person">
          <span>{line.product?.title ?? t('orderDetail.unknownProduct')}</span>
          <span className="muted mono">{line.source_product_id}</span>
        </span>
      ),
    },
    { key: 'quantity', header: t('orderDetail.quantity'), className: 'num', cell: (line) => line.quantity },
    { key: 'paid', header: t('orders.paid'), className: 'num', cell: (line) => money(line.paid_amount) },
    { key: 'refunded', header: t('orders.refunded'), className: 'num', cell: (line) => (line.refunded_amount > 0 ? money(line.refunded_amount) : t('common.none')) },
    { key: 'rate', header: t('orderDetail.rate'), className: 'num', cell: (line) => (line.commission ? formatBpsShort(line.commission.rate_bps) : t('common.none')) },
    { key: 'commission', header: t('orderDetail.commission'), className: 'num', cell: (line) => (line.commission ? money(line.commission.amount) : t('common.none')) },
    { key: 'status', header: t('orderDetail.commissionStatus'), cell: (line) => (line.commission ? <CommissionBadge status={line.commission.status} /> : t('common.none')) },
  ];
  return <DataTable columns={columns} rows={order.lines.map((line) => ({ ...line, id: line.line_id }))} empty={t('common.none')} testId="order-lines-table" />;
}

function OrderHistory({ events }: { events: OrderEvent[] }) {
  const { t } = useTranslation();
  const columns: Column<OrderEvent & { id: string }>[] = [
    { key: 'status', header: t('columns.status'), cell: (event) => <span data-testid="event-status">{t(`orders.statuses.${event.status}`, { defaultValue: event.status })}</span> },
    { key: 'occurred', header: t('orderDetail.occurredAt'), className: 'nowrap', cell: (event) => dateTimeOf(event.occurred_at) },
    { key: 'received', header: t('orderDetail.receivedAt'), className: 'nowrap', cell: (event) => dateTimeOf(event.received_at) },
    { key: 'via', header: t('orderDetail.via'), cell: (event) => <span data-testid="event-via" data-via={event.via}>{t(`orderDetail.vias.${event.via}`, { defaultValue: event.via })}</span> },
    { key: 'raw', header: t('orderDetail.rawStatus'), cell: (event) => (event.raw_status ? <span className="mono small">{event.raw_status}</span> : t('common.none')) },
  ];
  return <DataTable columns={columns} rows={events.map((event, index) => ({ ...event, id: String(index) }))} empty={t('common.none')} testId="order-history" />;
}
