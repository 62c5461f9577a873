import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { BarChart } from '../../components/BarChart';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { Stat } from '../../components/Stat';
import { formatMoney } from '../../lib/money';
import { useSession } from '../../lib/session';
import type { DailyEarning, EarningsSummary, Items, Statement, Withdrawal } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';
import { ProductPerformance } from './ProductPerformance';
import { StatementsTable } from './StatementsTable';
import { WithdrawalsTable } from './WithdrawalsTable';
import { WithdrawForm } from './WithdrawForm';

const CHART_DAYS = 30;

/** The order a commission moves in, then what can be taken out and what was. */
const FIGURES = ['estimated', 'confirmed', 'settleable', 'settled', 'available', 'paid_out'] as const;

/** 收益: the creator's (or organisation's share of its creators') commission by status, by day, its statements and withdrawals. */
export function EarningsPage() {
  const { t } = useTranslation();
  const role = useSession().me.user.role;
  const summary = useLoad<EarningsSummary>('/api/earnings/summary');
  const daily = useLoad<Items<DailyEarning>>(`/api/earnings/daily?days=${CHART_DAYS}`);
  const statements = useLoad<Items<Statement>>('/api/statements');
  const withdrawals = useLoad<Items<Withdrawal>>('/api/withdrawals');

  return (
    <>
      <PageHeader title={t('earnings.title')} description={t(role === 'org' ? 'earnings.descriptionOrg' : 'earnings.description')} />
      <Async loaded={summary}>
        {(figures) => {
          const texts = FIGURES.map((key) => formatMoney(figures[key], figures.currency));
          const fitChars = Math.max(...texts.map((text) => text.length));
          return (
            <div className="stats stats-money" data-testid="earnings-summary">
              {FIGURES.map((key, i) => (
                <Stat key={key} label={t(`earnings.figures.${key}`)} value={texts[i]} fitChars={fitChars} testId={`earnings-${key}`} />
              ))}
            </div>
          );
        }}
      </Async>
      <Panel title={t('earnings.chartTitle', { days: CHART_DAYS })} testId="earnings-chart-panel">
        <Async loaded={daily}>{(data) => <DailyChart days={data.items} currency={summary.data?.currency ?? 'CNY'} />}</Async>
      </Panel>
      <ProductPerformance role={role} />
      <Panel title={t('withdraw.title')} testId="withdraw-panel">
        <WithdrawForm
          available={summary.data}
          onRequested={() => {
            summary.reload();
            withdrawals.reload();
          }}
        />
      </Panel>
      <Panel title={t('withdrawals.title')} testId="withdrawals-panel">
        <Async loaded={withdrawals}>{(data) => <WithdrawalsTable rows={data.items} testId="withdrawals-table" />}</Async>
      </Panel>
      <Panel title={t('statements.title')} testId="statements-panel">
        <Async loaded={statements}>{(data) => <StatementsTable rows={data.items} testId="statements-table" />}</Async>
      </Panel>
    </>
  );
}

function DailyChart({ days, currency }: { days: DailyEarning[]; currency: string }) {
  const { t } = useTranslation();
  const format = (minor: number) => formatMoney(minor, currency);
  const total = days.reduce((sum, day) => sum + day.amount, 0);
  const best = days.reduce<DailyEarning | undefined>((top, day) => (day.amount > (top?.amount ?? 0) ? day : top), undefined);
  const summary = best
    ? t('earnings.chartSummary', { days: days.length, total: format(total), day: best.day, best: format(best.amount) })
    : t('earnings.chartEmpty', { days: days.length });
  return (
    <>
      <p className="muted small" data-testid="earnings-chart-total" data-total={total}>
        {summary}
      </p>
      <BarChart
        data={days.map((day) => ({ key: day.day, label: day.day.slice(5), value: day.amount }))}
        format={format}
        caption={t('earnings.chartTitle', { days: days.length })}
        summary={summary}
        testId="earnings-chart"
      />
    </>
  );
}
