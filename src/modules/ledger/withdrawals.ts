import { sql, type Kysely } from 'kysely';
import { Forbidden, InvalidInput, NotFound, Unprocessable } from '../../core/errors.ts';
import { formatMinor } from '../../core/money.ts';
import { newId } from '../../core/ids.ts';
import type { Database, WithdrawalsTable } from '../../db/schema.ts';
import { chunked } from '../../db/bulk.ts';
import { isPostgres } from '../../db/dialect.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { User } from '../accounts/model.ts';
import { recordAudit } from '../audit/service.ts';
import { organisationOf } from '../orgs/service.ts';
import { LedgerError, partyKey, summaryFromBalances, withdrawalFailed, withdrawalPaid, withdrawalRequested, type Party, type Transaction, type Withdrawal } from './postings.ts';
import { ledgerSettings } from './settings.ts';
import { appendTransactions, balancesWithPrefix, lockBalances } from './store.ts';

type Q = Kysely<Database>;

/** The ledger party a user acts for: a creator or colonel for themselves, an org account for its organisation. */
export async function partyOfUser(db: Q, user: User): Promise<Party & { kind: 'creator' | 'org' | 'colonel' }> {
  if (user.role === 'creator') return { kind: 'creator', id: user.id };
  if (user.role === 'colonel') return { kind: 'colonel', id: user.id };
  if (user.role === 'org') return { kind: 'org', id: (await organisationOf(db, user)).id };
  throw new Forbidden();
}

export interface WithdrawalRequest {
  amountMinor: number;
  currency?: string;
  payeeName: string;
  payeeAccount: string;
  /** The `Idempotency-Key` header: the same key again returns the first withdrawal, not a second one. */
  idempotencyKey?: string | null;
}

/** A refused withdrawal as a 422, with the figures the requester needs to try again. */
function refusal(error: unknown, details: Record<string, unknown>): never {
  if (error instanceof LedgerError) throw new Unprocessable(error.code, error.message, details);
  throw error;
}

/** A creator or organisation asks for its available money (at least the minimum setting). */
export async function requestWithdrawal(db: Q, user: User, input: WithdrawalRequest, now = new Date()): Promise<WithdrawalsTable> {
  const party = await partyOfUser(db, user);
  const currency = input.currency ?? 'CNY';
  const payeeName = input.payeeName.trim();
  const payeeAccount = input.payeeAccount.trim();
  if (!payeeName || payeeName.length > 100) throw new InvalidInput('invalid_payee', 'payee_name is 1-100 characters');
  if (!payeeAccount || payeeAccount.length > 100) throw new InvalidInput('invalid_payee', 'payee_account is 1-100 characters');
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) throw new InvalidInput('invalid_amount', 'amount must be a positive integer number of minor units (fen)');
  const settings = await ledgerSettings(db);
  return inTransaction(db, async (tx) => {
    const prefix = `${partyKey(party)}:`;
    await lockBalances(tx, prefix);
    // Looked up once the party's balances are ours (PostgreSQL): a retry sent while the first
    // request was still running waited for it here, then finds it, rather than asking again.
    if (input.idempotencyKey) {
      const earlier = await tx.selectFrom('withdrawals').selectAll().where('requested_by', '=', user.id).where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
      if (earlier) return earlier;
    }
    const summary = summaryFromBalances(new Map([[currency, await balancesWithPrefix(tx, prefix, currency)]]), party, currency);
    const row: WithdrawalsTable = {
      id: newId('withdrawal'),
      party_kind: party.kind,
      party_id: party.id,
      requested_by: user.id,
      currency,
      amount_minor: input.amountMinor,
      payee_name: payeeName,
      payee_account: payeeAccount,
      status: 'requested',
      batch_id: null,
      idempotency_key: input.idempotencyKey ?? null,
      failure_reason: null,
      requested_at: now.toISOString(),
      decided_at: null,
    };
    let transaction: Transaction;
    try {
      transaction = withdrawalRequested(withdrawalOf(row), summary.available, settings.withdrawal_minimum_minor, row.requested_at);
    } catch (error) {
      refusal(error, { minimum: settings.withdrawal_minimum_minor, available: summary.available, currency });
    }
    await tx.insertInto('withdrawals').values(row).execute();
    await appendTransactions(tx, [transaction], row.requested_at);
    await recordAudit(tx, user.id, 'withdrawal.requested', row.id, { amount_minor: row.amount_minor, currency });
    return row;
  });
}

function withdrawalOf(row: WithdrawalsTable): Withdrawal {
  return { id: row.id, party: { kind: row.party_kind, id: row.party_id }, amountMinor: Number(row.amount_minor), currency: row.currency };
}

export async function withdrawalsOf(db: Q, user: User): Promise<WithdrawalsTable[]> {
  if (user.role === 'operator') return db.selectFrom('withdrawals').selectAll().orderBy('requested_at', 'desc').limit(500).execute();
  const party = await partyOfUser(db, user);
  return db.selectFrom('withdrawals').selectAll().where('party_kind', '=', party.kind).where('party_id', '=', party.id).orderBy('requested_at', 'desc').execute();
}

/** The operator gathers every requested withdrawal in one currency into a payout batch to export and pay. */
export async function createPayoutBatch(db: Q, operator: User, now = new Date(), currency = 'CNY'): Promise<{ id: string; withdrawals: number }> {
  if (operator.role !== 'operator') throw new Forbidden();
  return inTransaction(db, async (tx) => {
    const id = newId('payoutBatch');
    await tx.insertInto('payout_batches').values({ id, status: 'open', created_by: operator.id, created_at: now.toISOString(), closed_at: null }).execute();
    const result = await tx.updateTable('withdrawals').set({ status: 'in_batch', batch_id: id }).where('status', '=', 'requested').where('currency', '=', currency).executeTakeFirst();
    const count = Number(result.numUpdatedRows);
    if (count === 0) throw new Unprocessable('nothing_to_pay', 'no withdrawal is waiting for a payout batch');
    await recordAudit(tx, operator.id, 'payout_batch.created', id, { withdrawals: count });
    return { id, withdrawals: count };
  });
}

export async function payoutBatches(db: Q): Promise<{ id: string; status: string; created_at: string; closed_at: string | null; withdrawals: number; currency: string; amount_minor: number; paid: number; failed: number }[]> {
  const batches = await db.selectFrom('payout_batches').selectAll().orderBy('created_at', 'desc').execute();
  // Summed in the database, a batch at a time through `withdrawals_batch`: the lines had been read
  // whole, every batched withdrawal ever, and each batch had looked through all of them.
  const counted = (status: 'paid' | 'failed') => sql<number>`sum(case when ${sql.ref('status')} = ${status} then 1 else 0 end)`;
  const totals = new Map<string, { n: number; amount: number; currency: string; paid: number; failed: number }>();
  for (const ids of chunked(batches.map((b) => b.id))) {
    const rows = await db
      .selectFrom('withdrawals')
      .select((eb) => ['batch_id', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_minor').as('amount'), eb.fn.min<string>('currency').as('currency'), counted('paid').as('paid'), counted('failed').as('failed')])
      .where('batch_id', 'in', ids)
      .groupBy('batch_id')
      .execute();
    for (const r of rows) totals.set(r.batch_id!, { n: Number(r.n), amount: Number(r.amount), currency: r.currency, paid: Number(r.paid), failed: Number(r.failed) });
  }
  return batches.map((b) => {
    const t = totals.get(b.id);
    return { id: b.id, status: b.status, created_at: b.created_at, closed_at: b.closed_at, withdrawals: t?.n ?? 0, currency: t?.currency ?? 'CNY', amount_minor: t?.amount ?? 0, paid: t?.paid ?? 0, failed: t?.failed ?? 0 };
  });
}

export async function withdrawalsInBatch(db: Q, batchId: string): Promise<WithdrawalsTable[]> {
  const batch = await db.selectFrom('payout_batches').select('id').where('id', '=', batchId).executeTakeFirst();
  if (!batch) throw new NotFound('payout batch');
  return db.selectFrom('withdrawals').selectAll().where('batch_id', '=', batchId).orderBy('id').execute();
}

/**
 * The operator records the outcome of one payout line: paid, or failed (the money returns to the
 * party's available balance). A line is decided once; the batch closes with its last line.
 */
export async function recordPayout(db: Q, operator: User, withdrawalId: string, outcome: { paid: true } | { paid: false; reason: string }, now = new Date()): Promise<WithdrawalsTable> {
  if (operator.role !== 'operator') throw new Forbidden();
  return inTransaction(db, async (tx) => {
    const row = await tx.selectFrom('withdrawals').selectAll().where('id', '=', withdrawalId).executeTakeFirst();
    if (!row) throw new NotFound('withdrawal');
    if (row.status !== 'in_batch') throw new Unprocessable('withdrawal_not_in_batch', `withdrawal ${withdrawalId} is ${row.status}; only a line of a payout batch can be marked paid or failed`);
    // The lines of one batch are decided one after another (PostgreSQL): two decided side by side
    // each saw the other still open, and the batch never closed.
    if (isPostgres(tx)) await tx.selectFrom('payout_batches').select('id').where('id', '=', row.batch_id!).forUpdate().execute();
    const at = now.toISOString();
    const status = outcome.paid ? 'paid' : 'failed';
    const claimed = await tx
      .updateTable('withdrawals')
      .set({ status, decided_at: at, failure_reason: outcome.paid ? null : outcome.reason })
      .where('id', '=', withdrawalId)
      .where('status', '=', 'in_batch')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new Unprocessable('withdrawal_not_in_batch', `withdrawal ${withdrawalId} was decided meanwhile`);
    await appendTransactions(tx, [outcome.paid ? withdrawalPaid(withdrawalOf(row), at) : withdrawalFailed(withdrawalOf(row), at)], at);
    const open = await tx.selectFrom('withdrawals').select('id').where('batch_id', '=', row.batch_id).where('status', '=', 'in_batch').executeTakeFirst();
    if (!open) await tx.updateTable('payout_batches').set({ status: 'closed', closed_at: at }).where('id', '=', row.batch_id!).execute();
    await recordAudit(tx, operator.id, `withdrawal.${status}`, withdrawalId, outcome.paid ? {} : { reason: outcome.reason });
    return { ...row, status, decided_at: at, failure_reason: outcome.paid ? null : outcome.reason };
  });
}

/**
 * A payout batch as a CSV a bank or payment provider's batch transfer can take: one line per
 * payee with the amount in yuan (two decimals, from fen by string arithmetic) and our reference.
 */
export function payoutCsv(rows: readonly WithdrawalsTable[]): string {
  const header = 'reference,payee_name,payee_account,amount,currency,party,requested_at';
  const lines = rows.map((r) => [r.id, r.payee_name, r.payee_account, formatMinor(Number(r.amount_minor)), r.currency, `${r.party_kind}:${r.party_id}`, r.requested_at].map(csvField).join(','));
  return `${[header, ...lines].join('\r\n')}\r\n`;
}


export function csvField(value: string): string {
  // A leading = + - @ would be a formula in a spreadsheet: quote it and prefix an apostrophe.
  const safe = /^[=+\-@]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
