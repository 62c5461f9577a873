import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { PageHeader } from '../../components/PageHeader';
import { Stat } from '../../components/Stat';
import { dateTimeOf } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { AdminOrganisation, AdminUser, Items, OperatorOverview, Source } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';

export function OperatorHome() {
  const { t } = useTranslation();
  const { me } = useSession();
  const overview = useLoad<OperatorOverview>('/api/operator/overview');
  const users = useLoad<Items<AdminUser>>('/api/admin/users');
  const organisations = useLoad<Items<AdminOrganisation>>('/api/admin/organisations');
  const sources = useLoad<Items<Source>>('/api/sources');
  const o = overview.data;
  const money = (minor: number) => formatMoney(minor, o?.currency ?? 'CNY');
  const feePending = o && money(o.platform_fee.estimated + o.platform_fee.confirmed + o.platform_fee.settleable);
  const feeSettled = o && money(o.platform_fee.settled);
  const requested = o && money(o.withdrawals_requested.amount);
  const fitChars = Math.max(feePending?.length ?? 1, feeSettled?.length ?? 1, requested?.length ?? 1);
  return (
    <>
      <PageHeader title={t('home.greeting', { name: me.user.name })} description={t('home.operatorIntro')} />
      <ErrorAlert error={overview.error ?? users.error ?? organisations.error ?? sources.error} />
      {/* What waits on the operator: each figure leads to the page where it is done. */}
      <div className="stats" data-testid="home-operator-tasks">
        <Stat label={t('home.unattributedOrders')} value={o?.unattributed_orders ?? '…'} testId="home-unattributed" link={{ href: `${href('orders')}?attribution=unattributed`, text: t('home.attributeByHand') }} />
        <Stat
          label={t('home.withdrawalsRequested', { count: o?.withdrawals_requested.count ?? 0 })}
          value={requested ?? '…'}
          fitChars={fitChars}
          testId="home-withdrawals-requested"
          link={{ href: href('payouts'), text: o && o.open_payout_batches > 0 ? t('home.openBatches', { count: o.open_payout_batches }) : t('home.toPayouts') }}
        />
        <Stat
          label={t('home.nextSettlement')}
          value={o ? dateTimeOf(o.next_settlement_at) : '…'}
          testId="home-next-settlement"
          link={{ href: href('settlement'), text: settlementLinkText(o?.last_settlement, t) }}
        />
      </div>
      <div className="stats stats-money" data-testid="home-platform-fee">
        <Stat label={t('home.platformFeePending')} value={feePending ?? '…'} fitChars={fitChars} testId="home-fee-pending" />
        <Stat label={t('home.platformFeeSettled')} value={feeSettled ?? '…'} fitChars={fitChars} testId="home-fee-settled" />
      </div>
      <div className="stats">
        <Stat label={t('home.users')} value={users.data?.items.length ?? '…'} link={{ href: href('users'), text: t('home.manage') }} />
        <Stat
          label={t('home.organisations')}
          value={organisations.data?.items.length ?? '…'}
          link={{ href: href('organisations'), text: t('home.manage') }}
        />
        <Stat label={t('home.sources')} value={sources.data?.items.length ?? '…'} link={{ href: href('sources'), text: t('home.manage') }} />
      </div>
    </>
  );
}

/** Where the last run stands: settled as of a date, going, or stopped and waiting to be resumed (its page says why). */
function settlementLinkText(last: OperatorOverview['last_settlement'] | undefined, t: TFunction): string {
  if (!last) return t('home.noSettlementYet');
  if (last.status === 'running') return last.active ? t('home.settlementRunning') : t('home.settlementStopped');
  return t('home.lastSettlement', { asOf: dateTimeOf(last.as_of) });
}
