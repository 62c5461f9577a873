import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { StatusBadge } from '../../components/StatusBadge';
import type { ApiError } from '../../lib/api';
import { apiErrorText } from '../../lib/errors';
import type { ColonelActivityStatus, TargetedPlanStatus } from '../../lib/types';

const PLAN_TONE = { requested: 'warn', approved: 'ok', rejected: 'danger', withdrawn: 'muted' } as const;
const ACTIVITY_TONE = { proposed: 'warn', active: 'ok', rejected: 'danger', cancelled: 'muted' } as const;

/**
 * 待审核 / 已通过 / 已拒绝 / 已撤回: a targeted plan's status in words of its own (an "approved" plan
 * is not a generic state); an approved plan whose window has closed is 已结束.
 */
export function PlanStatusBadge({ status, ended = false }: { status: TargetedPlanStatus; ended?: boolean }) {
  const { t } = useTranslation();
  if (status === 'approved' && ended) return <StatusBadge status="ended" tone="muted" label={t('plans.status.ended')} testId="plan-status" />;
  return <StatusBadge status={status} tone={PLAN_TONE[status]} label={t(`plans.status.${status}`)} testId="plan-status" />;
}

/** 待审核 / 进行中 / 已拒绝 / 已取消: a colonel activity's status; a running one whose window has closed is 已结束. */
export function ActivityStatusBadge({ status, ended = false }: { status: ColonelActivityStatus; ended?: boolean }) {
  const { t } = useTranslation();
  if (status === 'active' && ended) return <StatusBadge status="ended" tone="muted" label={t('activities.status.ended')} testId="activity-status" />;
  return <StatusBadge status={status} tone={ACTIVITY_TONE[status]} label={t(`activities.status.${status}`)} testId="activity-status" />;
}

/**
 * A plan's or activity's days: "2026-12-01 → 2027-01-01" (wrapping between the two, never inside a
 * date), "2026-12-01 ended 2026-12-15" once its window has closed, or "from 2026-12-01".
 */
export function PlanWindow({ startsOn, endsOn, ended = false }: { startsOn: string; endsOn: string | null; ended?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="plan-window">
      {endsOn ? (
        <>
          <span>{startsOn}</span> <span data-testid="plan-ends">{t(ended ? 'plans.endedOn' : 'plans.until', { to: endsOn })}</span>
        </>
      ) : (
        <span>{t('plans.from', { from: startsOn })}</span>
      )}
    </span>
  );
}

/** The server's known refusals of a plan in the reader's language; anything else in the server's words. */
export function planErrorText(t: TFunction, error: ApiError): string {
  return apiErrorText(t, error, 'plans');
}
