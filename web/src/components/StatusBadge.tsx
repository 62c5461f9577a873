import { useTranslation } from 'react-i18next';

const TONE: Record<string, string> = {
  pending: 'warn',
  scheduled: 'info',
  accepted: 'ok',
  active: 'ok',
  enabled: 'ok',
  declined: 'muted',
  cancelled: 'muted',
  ended: 'muted',
  disabled: 'muted',
  online: 'ok',
  offline: 'muted',
  running: 'info',
  completed: 'ok',
  failed: 'danger',
  // orders
  created: 'muted',
  paid: 'info',
  shipped: 'info',
  refunded: 'danger',
  // commissions
  estimated: 'warn',
  confirmed: 'info',
  settleable: 'info',
  settled: 'ok',
  reversed: 'muted',
  // withdrawals and payout batches
  requested: 'warn',
  in_batch: 'info',
  open: 'info',
  closed: 'ok',
};

/**
 * A status in its tone; `label` and `tone` when the same word means otherwise in context (an
 * order paid 已付款 is under way, a withdrawal paid 已打款 is done).
 */
export function StatusBadge({ status, label, tone, testId }: { status: string; label?: string; tone?: 'ok' | 'warn' | 'info' | 'danger' | 'muted'; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${tone ?? TONE[status] ?? 'muted'}`} data-status={status} data-testid={testId}>
      {label ?? t(`status.${status}`, { defaultValue: status })}
    </span>
  );
}
