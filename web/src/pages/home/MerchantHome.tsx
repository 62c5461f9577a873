import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/Alerts';
import { BarChart } from '../../components/BarChart';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { Stat } from '../../components/Stat';
import { formatMoney } from '../../lib/money';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { DailySales, Items, MerchantSales, Source } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';

const WEEK = 7;
const CHART_DAYS = 30;

/**
 * A merchant's home opens on its sales through the alliance: today's and the last seven days'
 * orders of its sources by payment day (Asia/Shanghai) with what they came to after refunds, and
 * the commission they carry for the creators; then a month of sales as a chart, then its sources.
 */
export function MerchantHome() {
  const { t } = useTranslation();
  const { me } = useSession();
  const sources = useLoad<Items<Source>>('/api/sources');
  const sales = useLoad<MerchantSales>(`/api/merchant/sales?days=${CHART_DAYS}`);
  const enabled = sources.data?.items.filter((source) => source.enabled).length;
  const currency = sales.data?.currency ?? 'CNY';
  const days = sales.data?.items;
  const today = days?.at(-1);
  const week = days && sumOf(days.slice(-WEEK));
  const figures = [today && formatMoney(today.net_amount, currency), week && formatMoney(week.net_amount, currency), week && formatMoney(week.commission, currency)];
  const fitChars = Math.max(...figures.map((f) => f?.length ?? 1));
  return (
    <>
      <PageHeader title={t('home.greeting', { name: me.user.name })} description={t('home.merchantIntro')} />
      <ErrorAlert error={sales.error ?? sources.error} />
      <div className="stats stats-money" data-testid="home-sales">
        <Stat label={t('home.salesToday', { orders: today?.orders ?? 0 })} value={figures[0] ?? '…'} fitChars={fitChars} testId="home-sales-today" link={{ href: href('orders'), text: t('home.viewOrders') }} />
        <Stat label={t('home.salesWeek', { days: WEEK, orders: week?.orders ?? 0 })} value={figures[1] ?? '…'} fitChars={fitChars} testId="home-sales-week" />
        <Stat label={t('home.commissionWeek', { days: WEEK })} value={figures[2] ?? '…'} fitChars={fitChars} testId="home-commission-week" link={{ href: href('plans'), text: t('home.toPlans') }} />
      </div>
      {days && (
        <Panel title={t('home.salesChartTitle', { days: days.length })} testId="home-sales-panel">
          <SalesChart days={days} currency={currency} />
        </Panel>
      )}
      <div className="stats">
        <Stat label={t('home.account')} value={me.user.email} />
        <Stat label={t('home.sources')} value={sources.data?.items.length ?? '…'} link={{ href: href('sources'), text: t('home.manage') }} />
        <Stat label={t('home.enabledSources')} value={enabled ?? '…'} />
      </div>
    </>
  );
}

function sumOf(days: DailySales[]): { orders: number; net_amount: number; commission: number } {
  return days.reduce((sum, day) => ({ orders: sum.orders + day.orders, net_amount: sum.net_amount + day.net_amount, commission: sum.commission + day.commission }), { orders: 0, net_amount: 0, commission: 0 });
}

function SalesChart({ days, currency }: { days: DailySales[]; currency: string }) {
  const { t } = useTranslation();
  const format = (minor: number) => formatMoney(minor, currency);
  const total = sumOf(days);
  const best = days.reduce<DailySales | undefined>((top, day) => (day.net_amount > (top?.net_amount ?? 0) ? day : top), undefined);
  const summary = best
    ? t('home.salesChartSummary', { days: days.length, orders: total.orders, total: format(total.net_amount), day: best.day, best: format(best.net_amount) })
    : t('home.salesChartEmpty', { days: days.length });
  return (
    <>
      <p className="muted small" data-testid="home-sales-total" data-total={total.net_amount}>
        {summary}
      </p>
      <BarChart data={days.map((day) => ({ key: day.day, label: day.day.slice(5), value: day.net_amount }))} format={format} caption={t('home.salesChartTitle', { days: days.length })} summary={summary} testId="home-sales-chart" />
    </>
  );
}
