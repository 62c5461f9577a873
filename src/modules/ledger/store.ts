import { sql, type Kysely } from 'kysely';
import { chunked, insertRows } from '../../db/bulk.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { Database } from '../../db/schema.ts';
import { assertBalanced, type Posting, type Transaction } from './postings.ts';

type Q = Kysely<Database>;

/**
 * Appends transactions to the ledger and adds their postings to the cached balances, in the
 * caller's database transaction. Transactions are only ever inserted: a transaction id seen
 * before is a bug in the caller (ids are deterministic per event), and the primary key refuses it.
 */
export async function appendTransactions(db: Q, transactions: readonly Transaction[], recordedAt: string): Promise<void> {
  if (transactions.length === 0) return;
  const txRows = transactions.map((t) => ({ id: t.id, kind: t.kind, at: t.at, ref: t.ref === undefined ? null : JSON.stringify(t.ref), recorded_at: recordedAt }));
  const postingRows = transactions.flatMap((t) => {
    assertBalanced(t.postings);
    return t.postings.map((p, seq) => ({ transaction_id: t.id, seq, account: p.account, currency: p.currency, amount_minor: p.amountMinor }));
  });
  await insertRows(db, 'ledger_transactions', txRows);
  await insertRows(db, 'ledger_postings', postingRows);
  await addToBalances(db, transactions.flatMap((t) => t.postings));
}

/** One order for every writer of rows keyed by account and currency, so concurrent ones lock them alike (no deadlock). */
export function byAccountAndCurrency(a: { account: string; currency: string }, b: { account: string; currency: string }): number {
  return a.account < b.account ? -1 : a.account > b.account ? 1 : a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0;
}

async function addToBalances(db: Q, postings: readonly Posting[]): Promise<void> {
  const deltas = new Map<string, { account: string; currency: string; balance_minor: number }>();
  for (const p of postings) {
    const key = `${p.currency} ${p.account}`;
    const row = deltas.get(key);
    if (row) row.balance_minor += p.amountMinor;
    else deltas.set(key, { account: p.account, currency: p.currency, balance_minor: p.amountMinor });
  }
  // Sorted so that concurrent writers on PostgreSQL lock balance rows in one order (no deadlock).
  const rows = [...deltas.values()].filter((r) => r.balance_minor !== 0).sort(byAccountAndCurrency);
  for (const chunk of chunked(rows)) {
    await db
      .insertInto('ledger_balances')
      .values(chunk)
      .onConflict((oc) => oc.columns(['account', 'currency']).doUpdateSet({ balance_minor: sql`ledger_balances.balance_minor + excluded.balance_minor` }))
      .execute();
  }
}

/** Cached balances of the accounts whose names start with the prefix (e.g. `creator:usr_…:`). */
export async function balancesWithPrefix(db: Q, prefix: string, currency: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('ledger_balances')
    .select(['account', 'balance_minor'])
    .where('currency', '=', currency)
    .where('account', '>=', prefix)
    .where('account', '<', `${prefix}\uffff`)
    .execute();
  return new Map(rows.map((r) => [r.account, Number(r.balance_minor)]));
}

/**
 * Locks a party's balance rows until the end of the caller's transaction (PostgreSQL; SQLite
 * has one writer at a time already), so two withdrawals cannot both spend the same money.
 */
export async function lockBalances(db: Q, prefix: string): Promise<void> {
  if (!isPostgres(db)) return;
  await db.selectFrom('ledger_balances').select('account').where('account', '>=', prefix).where('account', '<', `${prefix}\uffff`).forUpdate().execute();
}

/** Every account's balance as the sum of its postings, and as cached: for checks and tests. */
export async function balanceDrift(db: Q): Promise<{ account: string; currency: string; cached: number; summed: number }[]> {
  const summed = await db.selectFrom('ledger_postings').select(['account', 'currency', sql<number>`sum(amount_minor)`.as('total')]).groupBy(['account', 'currency']).execute();
  const cached = await db.selectFrom('ledger_balances').select(['account', 'currency', 'balance_minor']).execute();
  const key = (a: string, c: string) => `${c} ${a}`;
  const all = new Map<string, { account: string; currency: string; cached: number; summed: number }>();
  for (const r of summed) all.set(key(r.account, r.currency), { account: r.account, currency: r.currency, cached: 0, summed: Number(r.total) });
  for (const r of cached) {
    const row = all.get(key(r.account, r.currency)) ?? { account: r.account, currency: r.currency, cached: 0, summed: 0 };
    row.cached = Number(r.balance_minor);
    all.set(key(r.account, r.currency), row);
  }
  return [...all.values()].filter((r) => r.cached !== r.summed);
}

/** Per transaction and currency, postings that do not sum to zero (must always be empty). */
export async function unbalancedTransactions(db: Q): Promise<{ transaction_id: string; currency: string; total: number }[]> {
  const rows = await db
    .selectFrom('ledger_postings')
    .select(['transaction_id', 'currency', sql<number>`sum(amount_minor)`.as('total')])
    .groupBy(['transaction_id', 'currency'])
    .having(sql`sum(amount_minor)`, '<>', 0)
    .execute();
  return rows.map((r) => ({ ...r, total: Number(r.total) }));
}
