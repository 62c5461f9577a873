import { useTranslation } from 'react-i18next';
import { Async } from '../../components/Async';
import { DataTable, type Column } from '../../components/DataTable';
import { Fact } from '../../components/Fact';
import { PageHeader } from '../../components/PageHeader';
import { Panel } from '../../components/Panel';
import { dateOf, dateTimeOf } from '../../lib/dates';
import { formatBpsShort, formatMoney } from '../../lib/money';
import { href } from '../../lib/router';
import type { Statement, StatementLine } from '../../lib/types';
import { useLoad } from '../../lib/useLoad';

/** Lines shown on the page; the CSV has them all. */
const LINES_SHOWN = 500;

/**
 * #/earnings/<id> (#/settlement/<id> for the operator): one statement, its totals and the order
 * lines it settled, each as it was settled, with the party's share.
 */
export function StatementPage({ id, section }: { id: string; section: 'earnings' | 'settlement' }) {
  const { t } = useTranslation();
  const loaded = useLoad<{ statement: Statement; items: StatementLine[] }>(`/api/statements/${encodeURIComponent(id)}/lines?limit=${LINES_SHOWN}`);
  return (
    <>
      <a className="back-link" href={href(section)} data-testid="statement-back">
        ← {t(`nav.${section}`)}
      </a>
      <Async loaded={loaded}>
        {({ statement, items }) => (
          <>
            <PageHeader
              title={t('statementDetail.title', { date: dateOf(statement.as_of) })}
              description={`${statement.party.name} · ${t(`statements.parties.${statement.party.kind}`, { defaultValue: statement.party.kind })}`}
              actions={
                <a className="btn btn-secondary" href={`/api/statements/${encodeURIComponent(statement.id)}/csv`} download data-testid="statement-detail-csv">
                  {t('statements.csv')} ↓
                </a>
              }
            />
            <StatementFacts statement={statement} />
            <Panel title={t('statementDetail.lines')} testId="statement-lines-panel">
              {statement.lines > items.length && (
                <p className="muted small" data-testid="statement-lines-partial">
                  {t('statementDetail.partial', { shown: items.length.toLocaleString('en-US'), total: statement.lines.toLocaleString('en-US') })}
                </p>
              )}
              <StatementLines lines={items} withCreator={statement.party.kind !== 'creator'} />
            </Panel>
          </>
        )}
      </Async>
    </>
  );
}

function StatementFacts({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const money = (minor: number) => formatMoney(minor, statement.currency);
  return (
    <dl className="facts" data-testid="statement-facts">
      <Fact label={t('statements.asOf')}>{dateTimeOf(statement.as_of)}</Fact>
      <Fact label={t('statements.lines')}>{statement.lines.toLocaleString('en-US')}</Fact>
      <Fact label={t('statements.settled')}>
        <span data-testid="statement-detail-settled">{money(statement.settled)}</span>
      </Fact>
      <Fact label={t('statements.clawedBack')}>{statement.clawed_back === 0 ? t('common.none') : money(statement.clawed_back)}</Fact>
      <Fact label={t('statements.net')}>
        <strong data-testid="statement-detail-net">{money(statement.net)}</strong>
      </Fact>
    </dl>
  );
}

/** `withCreator` for an organisation's or a colonel's statement, whose lines are several creators' orders. */
function StatementLines({ lines, withCreator }: { lines: StatementLine[]; withCreator: boolean }) {
  const { t } = useTranslation();
  const columns: Column<StatementLine & { id: string }>[] = [
    {
      key: 'order',
      header: t('statementDetail.order'),
      cell: (line) => (
        <a className="row-link mono" href={href(`orders/${encodeURIComponent(line.order_id)}`)} data-testid="statement-line-order">
          {line.source_order_id}
        </a>
      ),
    },
    ...(withCreator
      ? [{ key: 'creator', header: t('statementDetail.creator'), className: 'nowrap', cell: (line: StatementLine) => <span data-testid="statement-line-creator">{line.creator.name}</span> }]
      : []),
    {
      key: 'product',
      header: t('orders.product'),
      cell: (line) => {
        const title = line.product?.title ?? t('orderDetail.unknownProduct');
        return (
          <span className="statement-product" title={title}>
            {title}
          </span>
        );
      },
    },
    {
      key: 'paidAt',
      header: t('orderDetail.paidAt'),
      className: 'nowrap',
      cell: (line) => <span title={dateTimeOf(line.paid_at)}>{dateOf(line.paid_at)}</span>,
    },
    {
      key: 'paid',
      header: t('orders.paid'),
      className: 'num',
      cell: (line) => (
        <span className="person">
          <span>{formatMoney(line.paid_amount, line.currency)}</span>
          {line.refunded_amount > 0 && (
            <span className="muted small nowrap" data-testid="statement-line-refunded">
              {t('statementDetail.refunded', { amount: formatMoney(line.refunded_amount, line.currency) })}
            </span>
          )}
        </span>
      ),
    },
    { key: 'rate', header: t('orderDetail.rate'), className: 'num', cell: (line) => formatBpsShort(line.rate_bps) },
    { key: 'commission', header: t('orderDetail.commission'), className: 'num', cell: (line) => formatMoney(line.commission, line.currency) },
    {
      key: 'share',
      header: t('statementDetail.share'),
      className: 'num',
      cell: (line) => (
        <span className="status-cell">
          <strong data-testid="statement-line-share" data-amount={line.share}>
            {formatMoney(line.share, line.currency)}
          </strong>
          {line.changed_since && (
            <span className="muted small" title={t('statementDetail.changedSinceHint')} data-testid="statement-line-changed">
              {t('statementDetail.changedSince')}
            </span>
          )}
        </span>
      ),
    },
  ];
  return <DataTable columns={columns} rows={lines.map((line) => ({ ...line, id: `${line.order_id} ${line.line_id}` }))} empty={t('common.none')} testId="statement-lines" />;
}
