import { useTranslation } from 'react-i18next';
import { DataTable, type Column } from '../../components/DataTable';
import { dateOf } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { href } from '../../lib/router';
import type { Statement } from '../../lib/types';

/** Settlement statements, each with its page of lines and its CSV; `withParty` for the operator, who sees everyone's (its pages under settlement). */
export function StatementsTable({ rows, withParty = false, testId }: { rows: Statement[]; withParty?: boolean; testId: string }) {
  const { t } = useTranslation();
  const money = (row: Statement, minor: number) => formatMoney(minor, row.currency);
  const columns: Column<Statement>[] = [
    ...(withParty
      ? [
          {
            key: 'party',
            header: t('statements.party'),
            cell: (row: Statement) => (
              <span className="person">
                <span>{row.party.name}</span>
                <span className="muted">{t(`statements.parties.${row.party.kind}`, { defaultValue: row.party.kind })}</span>
              </span>
            ),
          },
        ]
      : []),
    { key: 'asOf', header: t('statements.asOf'), className: 'nowrap', cell: (row) => dateOf(row.as_of) },
    { key: 'lines', header: t('statements.lines'), className: 'num', cell: (row) => row.lines },
    { key: 'settled', header: t('statements.settled'), className: 'num', cell: (row) => money(row, row.settled) },
    { key: 'clawedBack', header: t('statements.clawedBack'), className: 'num', cell: (row) => (row.clawed_back === 0 ? t('common.none') : money(row, row.clawed_back)) },
    {
      key: 'net',
      header: t('statements.net'),
      className: 'num',
      cell: (row) => (
        <strong data-testid="statement-net" data-amount={row.net}>
          {money(row, row.net)}
        </strong>
      ),
    },
    {
      key: 'csv',
      header: t('common.actions'),
      className: 'actions',
      cell: (row) => (
        <>
          <a className="btn btn-ghost btn-sm" href={href(`${withParty ? 'settlement' : 'earnings'}/${encodeURIComponent(row.id)}`)} data-testid="statement-open">
            {t('statements.open')} →
          </a>
          <a className="btn btn-ghost btn-sm" href={`/api/statements/${encodeURIComponent(row.id)}/csv`} download data-testid="statement-csv">
            {t('statements.csv')} ↓
          </a>
        </>
      ),
    },
  ];
  return <DataTable columns={columns} rows={rows} empty={t('statements.empty')} testId={testId} />;
}
