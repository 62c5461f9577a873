import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { api } from '../../lib/api';
import { dateOf } from '../../lib/dates';
import { formatBps } from '../../lib/percent';
import { useSession } from '../../lib/session';
import type { ColonelActivity, Items, TargetedPlan } from '../../lib/types';
import { useAction, type Action } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { ActivitiesTable } from '../colonel/ActivitiesTable';
import { PlanStatusBadge, PlanWindow } from './planText';
import { EndAction } from './StopActions';

/** Open requests first, then the newest. */
function awaitingFirst<Row extends { created_at: string; may_decide?: boolean }>(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => Number(Boolean(b.may_decide)) - Number(Boolean(a.may_decide)) || (a.created_at < b.created_at ? 1 : -1));
}

/**
 * 佣金审批 for a merchant (requests on its products) and the operator (all): targeted-plan requests
 * and colonel activities, each approved or rejected here, and ended here once running.
 */
export function PlanApprovalsPage() {
  const { t } = useTranslation();
  const operator = useSession().me.user.role === 'operator';
  return (
    <>
      <PageHeader title={t('approvals.title')} description={t(operator ? 'approvals.descriptionOperator' : 'approvals.description')} />
      <TargetedRequests />
      <ActivityRequests />
    </>
  );
}

function TargetedRequests() {
  const { t } = useTranslation();
  const plans = useLoad<Items<TargetedPlan>>('/api/plans/targeted');
  const action = useAction();
  const decide = (plan: TargetedPlan, verb: 'approve' | 'reject') =>
    void action.run(async () => {
      await api<TargetedPlan>('POST', `/api/plans/targeted/${encodeURIComponent(plan.id)}/${verb}`);
      plans.reload();
    });

  const columns: Column<TargetedPlan>[] = [
    {
      key: 'product',
      header: t('plans.product'),
      cell: (row) => (
        <span className="person">
          <span data-testid="plan-product">{row.product_title ?? row.product_id}</span>
          {row.open_rate_bps !== undefined && <span className="muted">{`${t('plans.openRate')} ${formatBps(row.open_rate_bps)}`}</span>}
        </span>
      ),
    },
    {
      key: 'target',
      header: t('plans.askedBy'),
      className: 'nowrap',
      cell: (row) => (
        <span className="person">
          <strong data-testid="plan-target">{row.target.name ?? row.target.id}</strong>
          <span className="muted">{t(`plans.targetKinds.${row.target.kind}`)}</span>
        </span>
      ),
    },
    { key: 'rate', header: t('plans.rate'), className: 'num', cell: (row) => <span data-testid="plan-rate">{formatBps(row.rate_bps)}</span> },
    { key: 'window', header: t('plans.window'), cell: (row) => <PlanWindow startsOn={row.starts_on} endsOn={row.ends_on} ended={row.status === 'approved' && row.ended} /> },
    { key: 'note', header: t('plans.note'), className: 'plan-note', cell: (row) => row.note ?? <span className="muted">{t('common.none')}</span> },
    { key: 'status', header: t('columns.status'), cell: (row) => <PlanStatusBadge status={row.status} ended={row.ended} /> },
    { key: 'requested', header: t('plans.requestedAt'), className: 'nowrap', cell: (row) => dateOf(row.created_at) },
    {
      key: 'actions',
      header: t('common.actions'),
      className: 'actions',
      cell: (row) =>
        row.may_decide ? (
          <Decision action={action} onDecide={(verb) => decide(row, verb)} testId="plan" />
        ) : (
          row.may_end && <EndAction path={`/api/plans/targeted/${encodeURIComponent(row.id)}/end`} onEnded={plans.reload} testId="plan" />
        ),
    },
  ];

  return (
    <Panel title={t('approvals.targetedTitle')} testId="targeted-requests">
      <ErrorAlert error={action.error} />
      <div className="dense-table">
        <Async loaded={plans}>{(data) => <DataTable columns={columns} rows={awaitingFirst(data.items)} empty={t('approvals.targetedEmpty')} testId="plan-requests" />}</Async>
      </div>
    </Panel>
  );
}

function ActivityRequests() {
  const { t } = useTranslation();
  const activities = useLoad<Items<ColonelActivity>>('/api/colonel/activities');
  const action = useAction();
  const decide = (activity: ColonelActivity, verb: 'approve' | 'reject') =>
    void action.run(async () => {
      await api<ColonelActivity>('POST', `/api/colonel/activities/${encodeURIComponent(activity.id)}/${verb}`);
      activities.reload();
    });

  return (
    <Panel title={t('approvals.activitiesTitle')} testId="activity-requests">
      <ErrorAlert error={action.error} />
      <div className="dense-table">
        <Async loaded={activities}>
          {(data) => (
            <ActivitiesTable
              activities={awaitingFirst(data.items)}
              empty={t('approvals.activitiesEmpty')}
              testId="activity-requests-table"
              showColonel
              actions={(row) =>
                row.may_decide ? (
                  <Decision action={action} onDecide={(verb) => decide(row, verb)} testId="activity" />
                ) : row.may_end ? (
                  <EndAction path={`/api/colonel/activities/${encodeURIComponent(row.id)}/cancel`} onEnded={activities.reload} testId="activity" />
                ) : (
                  row.status === 'proposed' && <span className="muted small">{t('approvals.operatorDecides')}</span>
                )
              }
            />
          )}
        </Async>
      </div>
    </Panel>
  );
}

function Decision({ action, onDecide, testId }: { action: Action; onDecide: (verb: 'approve' | 'reject') => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <span className="button-row">
      <button type="button" className="btn btn-primary btn-sm" disabled={action.busy} data-testid={`${testId}-approve`} onClick={() => onDecide('approve')}>
        {t('approvals.approve')}
      </button>
      <button type="button" className="btn btn-secondary btn-sm" disabled={action.busy} data-testid={`${testId}-reject`} onClick={() => onDecide('reject')}>
        {t('approvals.reject')}
      </button>
    </span>
  );
}
