import { useTranslation } from 'react-i18next';
import { StatusBadge } from '../../components/StatusBadge';
import type { AttributionRule, CommissionStatus, OrderStatus } from '../../lib/types';

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  const { t } = useTranslation();
  return <StatusBadge status={status} label={t(`orders.statuses.${status}`, { defaultValue: status })} testId="order-status" />;
}

export function CommissionBadge({ status }: { status: CommissionStatus }) {
  const { t } = useTranslation();
  return <StatusBadge status={status} label={t(`commissions.${status}`, { defaultValue: status })} testId="commission-status" />;
}

const ATTRIBUTION_TONE: Record<AttributionRule, string> = { click: 'ok', sub_id: 'info', manual: 'warn', unattributed: 'danger' };

/** How the order found its creator: a tracked click, the creator's sub id, by hand, or not at all. */
export function AttributionBadge({ rule }: { rule: AttributionRule }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${ATTRIBUTION_TONE[rule]}`} data-testid="order-attribution" data-attribution={rule}>
      {t(`orders.attributions.${rule}`, { defaultValue: rule })}
    </span>
  );
}
