import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { dateOf } from '../../lib/dates';
import { formatBps } from '../../lib/percent';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { Items, TargetedPlan } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';
import { PlanStatusBadge, PlanWindow } from './planText';
import { ConfirmedAction } from './StopActions';

/** 定向计划 of a creator (for themself) or an organisation (for all its creators): what was asked, what the owner decided, and 撤回 while it waits. */
export function MyPlansPage() {
  const { t } = useTranslation();
  const org = useSession().me.user.role === 'org';
  const plans = useLoad<Items<TargetedPlan>>('/api/plans/targeted');

  const columns: Column<TargetedPlan>[] = [
    { key: 'product', header: t('plans.product'), cell: (row) => <span data-testid="plan-product">{row.product_title ?? row.product_id}</span> },
    { key: 'rate', header: t('plans.rate'), className: 'num', cell: (row) => <span data-testid="plan-rate">{formatBps(row.rate_bps)}</span> },
    { key: 'open', header: t('plans.openRate'), className: 'num', cell: (row) => (row.open_rate_bps === undefined ? t('common.none') : formatBps(row.open_rate_bps)) },
    { key: 'window', header: t('plans.window'), cell: (row) => <PlanWindow startsOn={row.starts_on} endsOn={row.ends_on} ended={row.status === 'approved' && row.ended} /> },
    { key: 'note', header: t('plans.note'), className: 'plan-note', cell: (row) => row.note ?? <span className="muted">{t('common.none')}</span> },
    { key: 'status', header: t('columns.status'), cell: (row) => <PlanStatusBadge status={row.status} ended={row.ended} /> },
    { key: 'requested', header: t('plans.requestedAt'), className: 'nowrap', cell: (row) => dateOf(row.created_at) },
    { key: 'decided', header: t('plans.decidedAt'), className: 'nowrap', cell: (row) => (row.decided_at ? dateOf(row.decided_at) : t('common.none')) },
  ];
  // 撤回 only while a request waits: the column is there when some row has it.
  const withdrawColumn: Column<TargetedPlan> = {
    key: 'actions',
    header: t('common.actions'),
    className: 'actions',
    cell: (row) =>
      row.may_withdraw && (
        <ConfirmedAction path={`/api/plans/targeted/${encodeURIComponent(row.id)}/withdraw`} label={t('plans.withdraw')} confirmLabel={t('plans.confirmWithdraw')} onDone={plans.reload} testId="plan-withdraw" />
      ),
  };

  return (
    <>
      <PageHeader
        title={t('plans.title')}
        description={t(org ? 'plans.descriptionOrg' : 'plans.description')}
        actions={
          <a className="btn btn-primary" href={href('pool')} data-testid="plans-to-pool">
            {t('plans.goToPool')}
          </a>
        }
      />
      <Panel title={t('plans.list')}>
        <div className="dense-table">
          <Async loaded={plans}>
            {(data) => <DataTable columns={data.items.some((row) => row.may_withdraw) ? [...columns, withdrawColumn] : columns} rows={data.items} empty={t('plans.empty')} testId="my-plans" />}
          </Async>
        </div>
      </Panel>
    </>
  );
}
