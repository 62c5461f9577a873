import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { Stat } from '../../components/Stat';
import { formatMoney } from '../../lib/money';
import { mayOpen } from '../../lib/nav';
import { useSession } from '../../lib/session';
import { href } from '../../lib/router';
import type { DailyEarning, EarningsSummary, Items } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';

const WEEK = 7;

/**
 * A home page's row of earnings (creator, organisation, colonel): today's and the last seven days'
 * commission by payment day (Asia/Shanghai, as the earnings chart counts it) with their orders,
 * and what can be withdrawn now, each leading to the page that explains it.
 */
export function EarningsGlance() {
  const { t } = useTranslation();
  const role = useSession().me.user.role;
  // Today's lines lead to the orders they came from, where the role has an orders page (a colonel has none).
  const todayLink = mayOpen(role, 'orders') ? { href: href('orders'), text: t('home.viewOrders') } : { href: href('earnings'), text: t('home.viewEarnings') };
  const summary = useLoad<EarningsSummary>('/api/earnings/summary');
  const daily = useLoad<Items<DailyEarning>>(`/api/earnings/daily?days=${WEEK}`);
  const currency = summary.data?.currency ?? 'CNY';
  const days = daily.data?.items;
  const today = days?.at(-1);
  const week = days?.reduce((sum, day) => ({ amount: sum.amount + day.amount, lines: sum.lines + day.lines }), { amount: 0, lines: 0 });
  const figures = [today && formatMoney(today.amount, currency), week && formatMoney(week.amount, currency), summary.data && formatMoney(summary.data.available, currency)];
  const fitChars = Math.max(...figures.map((f) => f?.length ?? 1));
  return (
    <>
      <ErrorAlert error={summary.error ?? daily.error} />
      <div className="stats stats-money" data-testid="home-earnings">
        <Stat label={t('home.earningsToday', { lines: today?.lines ?? 0 })} value={figures[0] ?? '…'} fitChars={fitChars} testId="home-earnings-today" link={todayLink} />
        <Stat label={t('home.earningsWeek', { days: WEEK, lines: week?.lines ?? 0 })} value={figures[1] ?? '…'} fitChars={fitChars} testId="home-earnings-week" link={{ href: href('earnings'), text: t('home.viewEarnings') }} />
        <Stat label={t('home.available')} value={figures[2] ?? '…'} fitChars={fitChars} testId="home-available" link={{ href: href('earnings'), text: t('home.withdraw') }} />
      </div>
    </>
  );
}
