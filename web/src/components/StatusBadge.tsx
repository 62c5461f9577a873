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
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-${TONE[status] ?? 'muted'}`} data-status={status}>
      {t(`status.${status}`, { defaultValue: status })}
    </span>
  );
}
