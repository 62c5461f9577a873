import { sql, type Kysely } from 'kysely';
import { Forbidden, InvalidInput, NotFound, Unprocessable } from '../../core/errors.ts';
import { formatMinor } from '../../core/money.ts';
import { newId } from '../../core/ids.ts';
import type { Database, WithdrawalStatus, WithdrawalsTable } from '../../db/schema.ts';
import { decodeKeyset, encodeKeyset } from '../../db/keyset.ts';
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

/**
 * Withdrawals, newest first: the party's own, or for the operator the 500 latest — of one status
 * when asked (the ones waiting for a batch are `requested`, however many newer ones were decided).
 */
export async function withdrawalsOf(db: Q, user: User, filter: { status?: WithdrawalStatus } = {}): Promise<WithdrawalsTable[]> {
  let query = db.selectFrom('withdrawals').selectAll().orderBy('requested_at', 'desc');
  if (filter.status) query = query.where('status', '=', filter.status);
  if (user.role === 'operator') return query.limit(500).execute();
  const party = await partyOfUser(db, user);
  return query.where('party_kind', '=', party.kind).where('party_id', '=', party.id).execute();
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
    const total = await tx.selectFrom('withdrawals').select((eb) => eb.fn.sum<number>('amount_minor').as('amount')).where('batch_id', '=', id).executeTakeFirstOrThrow();
    await tx.updateTable('payout_batches').set({ withdrawals: count, amount_minor: Number(total.amount), currency }).where('id', '=', id).execute();
    await recordAudit(tx, operator.id, 'payout_batch.created', id, { withdrawals: count });
    return { id, withdrawals: count };
  });
}

export async function payoutBatches(db: Q): Promise<{ id: string; status: string; created_at: string; closed_at: string | null; withdrawals: number; currency: string; amount_minor: number; paid: number; failed: number }[]> {
  // Each batch's totals are on its row (migration 025): no withdrawal is read.
  const batches = await db
    .selectFrom('payout_batches')
    .select(['id', 'status', 'created_at', 'closed_at', 'withdrawals', 'currency', 'amount_minor', 'paid', 'failed'])
    .orderBy('created_at', 'desc')
    .execute();
  return batches.map((b) => ({ ...b, withdrawals: Number(b.withdrawals), amount_minor: Number(b.amount_minor), paid: Number(b.paid), failed: Number(b.failed) }));
}

/** Every line of a batch, in id order (its CSV). */
export async function withdrawalsInBatch(db: Q, batchId: string): Promise<WithdrawalsTable[]> {
  return (await withdrawalsInBatchPage(db, batchId, {})).items;
}

/** A batch's lines in id order, `limit` at a time (`nextCursor` for the next; all of them without one), read through `withdrawals_batch`. */
export async function withdrawalsInBatchPage(db: Q, batchId: string, page: { limit?: number; cursor?: string }): Promise<{ items: WithdrawalsTable[]; nextCursor: string | null }> {
  const batch = await db.selectFrom('payout_batches').select('id').where('id', '=', batchId).executeTakeFirst();
  if (!batch) throw new NotFound('payout batch');
  let query = db.selectFrom('withdrawals').selectAll().where('batch_id', '=', batchId).orderBy('id');
  if (page.cursor) query = query.where('id', '>', decodeKeyset(page.cursor)[1]);
  if (page.limit === undefined) return { items: await query.execute(), nextCursor: null };
  const rows = await query.limit(page.limit + 1).execute();
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? encodeKeyset(batchId, last.id) : null };
}

export type PayoutOutcome = { paid: true } | { paid: false; reason: string };

/**
 * The operator records the outcome of one payout line: paid, or failed (the money returns to the
 * party's available balance). A line is decided once; the batch closes with its last line.
 */
export async function recordPayout(db: Q, operator: User, withdrawalId: string, outcome: PayoutOutcome, now = new Date()): Promise<WithdrawalsTable> {
  if (operator.role !== 'operator') throw new Forbidden();
  return inTransaction(db, async (tx) => {
    const row = await tx.selectFrom('withdrawals').selectAll().where('id', '=', withdrawalId).executeTakeFirst();
    if (!row) throw new NotFound('withdrawal');
    if (row.status !== 'in_batch') throw new Unprocessable('withdrawal_not_in_batch', `withdrawal ${withdrawalId} is ${row.status}; only a line of a payout batch can be marked paid or failed`);
    await lockBatch(tx, row.batch_id!);
    const at = now.toISOString();
    if (!(await decideLine(tx, operator, row, outcome, at))) throw new Unprocessable('withdrawal_not_in_batch', `withdrawal ${withdrawalId} was decided meanwhile`);
    await closeBatchIfDone(tx, row.batch_id!, at);
    return { ...row, status: outcome.paid ? 'paid' : 'failed', decided_at: at, failure_reason: outcome.paid ? null : outcome.reason };
  });
}

/**
 * The lines of one batch are decided one after another (PostgreSQL): two decided side by side
 * each saw the other still open, and the batch never closed.
 */
async function lockBatch(tx: Q, batchId: string): Promise<void> {
  if (isPostgres(tx)) await tx.selectFrom('payout_batches').select('id').where('id', '=', batchId).forUpdate().execute();
}

/** Marks one line of a batch paid or failed, with its ledger transaction and audit; false if it was no longer in the batch. */
async function decideLine(tx: Q, operator: User, row: WithdrawalsTable, outcome: PayoutOutcome, at: string): Promise<boolean> {
  const status = outcome.paid ? 'paid' : 'failed';
  const claimed = await tx
    .updateTable('withdrawals')
    .set({ status, decided_at: at, failure_reason: outcome.paid ? null : outcome.reason })
    .where('id', '=', row.id)
    .where('status', '=', 'in_batch')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return false;
  // The batch's count of its kind moves with the line (its row is locked first: `lockBatch`).
  await tx.updateTable('payout_batches').set(outcome.paid ? { paid: sql`paid + 1` } : { failed: sql`failed + 1` }).where('id', '=', row.batch_id!).execute();
  await appendTransactions(tx, [outcome.paid ? withdrawalPaid(withdrawalOf(row), at) : withdrawalFailed(withdrawalOf(row), at)], at);
  await recordAudit(tx, operator.id, `withdrawal.${status}`, row.id, outcome.paid ? {} : { reason: outcome.reason });
  return true;
}

/** Closes the batch once every line is decided, by its own counts (not by looking through its lines). */
async function closeBatchIfDone(tx: Q, batchId: string, at: string): Promise<void> {
  await tx
    .updateTable('payout_batches')
    .set({ status: 'closed', closed_at: at })
    .where('id', '=', batchId)
    .where('status', '=', 'open')
    .where(sql<boolean>`paid + failed >= withdrawals`)
    .execute();
}

/** One row of a payout result file as read: where it is, and its fields by column. */
export interface PayoutResultRecord {
  row: number;
  field(column: string): string | number | undefined;
  unreadable?: string;
}

export interface PayoutResults {
  paid: number;
  failed: number;
  /** Lines the file gives the outcome they already had (a file sent again). */
  unchanged: number;
  rejected: { row: number; reference: string | null; code: string; reason: string }[];
}

/** Lines decided per transaction when a result file is recorded. */
const RESULT_LINES_PER_TRANSACTION = 200;

/** The words a bank's or provider's result may use for each outcome, beside ours. */
const OUTCOME_WORDS: Record<string, 'paid' | 'failed'> = { paid: 'paid', success: 'paid', succeeded: 'paid', 成功: 'paid', 已打款: 'paid', failed: 'failed', failure: 'failed', fail: 'failed', 失败: 'failed' };

/**
 * The operator records the outcomes of a payout batch from the result file its bank or payment
 * provider returned (CSV: `reference`, `outcome` paid|failed, `reason` for a failure), as marking
 * each line would: the good rows are recorded, each bad one is reported with its row and why, and
 * nothing else changes. A line the file gives the outcome it already has is left as it is, so the
 * same file can be sent again; a line already decided the other way is refused, not overturned.
 * Lines are decided 200 a transaction; the batch closes with its last line.
 */
export async function recordPayoutResults(db: Q, operator: User, batchId: string, records: AsyncIterable<PayoutResultRecord>, now = new Date()): Promise<PayoutResults> {
  if (operator.role !== 'operator') throw new Forbidden();
  const batch = await db.selectFrom('payout_batches').select('id').where('id', '=', batchId).executeTakeFirst();
  if (!batch) throw new NotFound('payout batch');
  const results: PayoutResults = { paid: 0, failed: 0, unchanged: 0, rejected: [] };
  const reject = (row: number, reference: string | null, code: string, reason: string) => results.rejected.push({ row, reference, code, reason });
  const wanted = new Map<string, { row: number; outcome: PayoutOutcome }>();
  for await (const record of records) {
    const text = (column: string) => {
      const value = record.field(column);
      return value === undefined ? '' : String(value).trim();
    };
    const reference = text('reference') || null;
    if (record.unreadable) {
      reject(record.row, reference, 'unreadable_row', record.unreadable);
      continue;
    }
    if (!reference) {
      reject(record.row, null, 'missing_reference', 'reference is empty: it is the withdrawal id of the batch CSV');
      continue;
    }
    const said = OUTCOME_WORDS[text('outcome').toLowerCase()];
    if (!said) {
      reject(record.row, reference, 'invalid_outcome', `outcome must be paid or failed, got "${text('outcome')}"`);
      continue;
    }
    const reason = text('reason');
    if (said === 'failed' && reason.length === 0) {
      reject(record.row, reference, 'reason_required', 'a failed payout needs its reason (the bank’s words), which the payee will see');
      continue;
    }
    if (reason.length > 500) {
      reject(record.row, reference, 'invalid_reason', 'reason is at most 500 characters');
      continue;
    }
    const outcome: PayoutOutcome = said === 'paid' ? { paid: true } : { paid: false, reason };
    const earlier = wanted.get(reference);
    if (earlier) {
      if (earlier.outcome.paid !== outcome.paid) reject(record.row, reference, 'conflicting_rows', `row ${earlier.row} gives this line the other outcome`);
      continue; // the same outcome twice: once is enough
    }
    wanted.set(reference, { row: record.row, outcome });
  }
  const at = now.toISOString();
  const references = [...wanted.keys()];
  for (let i = 0; i < references.length; i += RESULT_LINES_PER_TRANSACTION) {
    const chunk = references.slice(i, i + RESULT_LINES_PER_TRANSACTION);
    const counted = await inTransaction(db, async (tx) => {
      const done = { paid: 0, failed: 0, unchanged: 0, rejected: [] as PayoutResults['rejected'] };
      await lockBatch(tx, batchId);
      const rows = new Map((await tx.selectFrom('withdrawals').selectAll().where('id', 'in', chunk).execute()).map((r) => [r.id, r]));
      for (const reference of chunk) {
        const { row: fileRow, outcome } = wanted.get(reference)!;
        const line = rows.get(reference);
        if (!line || line.batch_id !== batchId) {
          done.rejected.push({ row: fileRow, reference, code: 'not_in_batch', reason: `${reference} is not a line of payout batch ${batchId}` });
          continue;
        }
        const wantedStatus = outcome.paid ? 'paid' : 'failed';
        if (line.status === wantedStatus) {
          done.unchanged += 1;
          continue;
        }
        if (line.status !== 'in_batch' || !(await decideLine(tx, operator, line, outcome, at))) {
          done.rejected.push({ row: fileRow, reference, code: 'already_decided', reason: `${reference} was already marked ${line.status === 'in_batch' ? 'meanwhile' : line.status}` });
          continue;
        }
        done[wantedStatus] += 1;
      }
      await closeBatchIfDone(tx, batchId, at);
      return done;
    });
    results.paid += counted.paid;
    results.failed += counted.failed;
    results.unchanged += counted.unchanged;
    results.rejected.push(...counted.rejected);
  }
  results.rejected.sort((a, b) => a.row - b.row);
  await recordAudit(db, operator.id, 'payout_batch.results_recorded', batchId, { paid: results.paid, failed: results.failed, unchanged: results.unchanged, rejected: results.rejected.length });
  return results;
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
