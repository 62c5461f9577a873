import { sql, type Kysely } from 'kysely';
import { Conflict, DomainError, InvalidInput } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { isPostgres, yieldOnSqlite } from '../../db/dialect.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { CommissionsTable, Database, SettlementRunsTable } from '../../db/schema.ts';
import { commissionLineOfRow, lineAsSettled, lineOfRow, SHARE_COLUMNS } from './commissions.ts';
import { accountOf, combined, commissionMoved, computeShares, type Party, type Posting, type Transaction } from './postings.ts';
import { inTransaction } from '../../db/transaction.ts';
import { chunked, selectRows, updateWhereKeyIn } from '../../db/bulk.ts';
import { appendTransactions, byAccountAndCurrency } from './store.ts';

type Q = Kysely<Database>;

export interface SettlementSummary {
  settlement_id: string;
  as_of: string;
  resumed: boolean;
  lines: number;
  batches: number;
  settled_minor: Record<string, number>;
  clawed_back_minor: Record<string, number>;
  statements: number;
}

const BATCH_LINES = 5_000;

/** Lines a batch marks settled between turns of the event loop (SQLite; see `settleBatch`). */
const LINES_PER_TURN = 1_000;

export interface SettleOptions {
  asOf: Date;
  startedBy?: string | null;
  batchLines?: number;
  workers?: number;
  now?: () => Date;
  /** SQLite: lines read per chunk when the run's lines are counted per party at its finish (default 50,000). */
  linesPerRead?: number;
}

/**
 * A settlement run (`vitrine settle --as-of`): every commission whose order completed and whose
 * return window had passed at `asOf` moves to `settled`, then a statement is written per creator,
 * organisation and colonel. A workflow of small steps, each one transaction, so it can crash
 * anywhere: a run left `running` is resumed by the next call (with its own as-of), a batch either
 * landed whole or not at all, and statements are written once per party. Running it again
 * afterwards finds nothing left to settle.
 */
export async function settle(db: Q, options: SettleOptions): Promise<SettlementSummary> {
  return startSettlement(db, options).done;
}

/** A run as `startSettlement` has it: `begun` once it is recorded (new or resumed), `done` once it is settled. */
export interface StartedSettlement {
  begun: Promise<{ run: SettlementRunsTable; resumed: boolean }>;
  done: Promise<SettlementSummary>;
  /** Stops the run after the batches in hand (a server shutting down): `done` fails, and the run waits to be resumed. */
  stop(): void;
}

/**
 * Runs this process is settling, by database. A call made while one goes (the console's button
 * pressed again, the monthly schedule coming due) joins it rather than walking the same queue beside
 * it: both are answered by the one run.
 */
const going = new WeakMap<Q, StartedSettlement>();

/**
 * `settle`, in two steps: the console answers once the run is recorded (`begun`) and the operator
 * follows its lines climbing while the rest (`done`) goes on. Whoever starts it must handle `done`
 * (await it or catch it). A run that stops keeps why (`error`) until the call that resumes it.
 */
export function startSettlement(db: Q, options: SettleOptions): StartedSettlement {
  const current = db.isTransaction ? undefined : going.get(db);
  if (current) {
    return { begun: current.begun.then(({ run }) => ({ run, resumed: true })), done: current.done.then((summary) => ({ ...summary, resumed: true })), stop: current.stop };
  }
  const now = options.now ?? (() => new Date());
  const queue = new SettleQueue();
  const begun = startOrResume(db, options.asOf.toISOString(), options.startedBy ?? null, now());
  const done = begun.then(async ({ run, resumed }) => {
    const progress = { lines: run.lines };
    try {
      return await settleRun(db, run, resumed, queue, progress, options, now);
    } catch (error) {
      if (error instanceof SettlementStopped) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      await recordStop(db, run, reason);
      throw new SettlementStopped(run.id, progress.lines, reason, { cause: error });
    }
  });
  const started = { begun, done, stop: () => void (queue.stopped = true) };
  if (!db.isTransaction) {
    going.set(db, started);
    const forget = () => {
      if (going.get(db) === started) going.delete(db);
    };
    done.then(forget, forget);
  }
  return started;
}

async function settleRun(db: Q, run: SettlementRunsTable, resumed: boolean, queue: SettleQueue, progress: { lines: number }, options: SettleOptions, now: () => Date): Promise<SettlementSummary> {
  let batches = run.batches;
  // On PostgreSQL batches are settled side by side, each in a transaction of its own connection:
  // a batch's time is the server writing its lines (each a new row version and an entry in each
  // index), and one connection kept one core busy. SQLite has one writer; inside a caller's
  // transaction there is one connection.
  const workers = db.isTransaction || !isPostgres(db) ? 1 : Math.max(1, options.workers ?? POSTGRES_SETTLE_WORKERS);
  const worker = async () => {
    while (!queue.stopped) {
      const settled = await settleBatch(db, run, options.batchLines ?? BATCH_LINES, now(), queue);
      if (settled === 0) return;
      progress.lines += settled;
      batches += 1;
      // Without this a run on SQLite kept the server from answering anything (redirects,
      // webhooks, its own progress) until its last batch.
      await yieldOnSqlite(db);
    }
  };
  const outcomes = await Promise.allSettled(
    Array.from({ length: workers }, () =>
      worker().catch((error: unknown) => {
        // The others stop after the batch in hand: the run is resumed by the next call.
        queue.stopped = true;
        throw error;
      }),
    ),
  );
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
  if (queue.stopped) {
    await recordStop(db, run, SHUTTING_DOWN);
    throw new SettlementStopped(run.id, progress.lines, SHUTTING_DOWN);
  }
  const summary = await finish(db, run, now(), options.linesPerRead ?? LINES_PER_READ);
  return { settlement_id: run.id, as_of: run.as_of, resumed, lines: progress.lines, batches, ...summary };
}

/**
 * A run that stopped before it was done: a batch failed (the database refused it, say), or it was
 * asked to stop (`StartedSettlement.stop`, a server shutting down). The run stays `running` with
 * its batches so far, and the next run resumes it. `cause` is what failed.
 */
export class SettlementStopped extends DomainError {
  constructor(settlementId: string, lines: number, reason: string, options?: { cause?: unknown }) {
    super(500, 'settlement_stopped', `the settlement run stopped after ${lines} lines: ${reason}; run it again to resume where it stopped`, { settlement_id: settlementId, lines, reason });
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The shutdown's reason, kept on the run. */
const SHUTTING_DOWN = 'the server was shutting down';

/**
 * Keeps why a run stopped on its row, for the operator. Written after the failed transaction, on
 * its own; if even that fails (the database gone), the run still stays `running` and resumable.
 */
async function recordStop(db: Q, run: SettlementRunsTable, reason: string): Promise<void> {
  if (db.isTransaction) return;
  await db.updateTable('settlement_runs').set({ error: reason.slice(0, 1_000) }).where('id', '=', run.id).where('status', '=', 'running').execute().catch(() => undefined);
}

/** Batches settled at once on PostgreSQL (the machine this is made for has two cores). */
const POSTGRES_SETTLE_WORKERS = 2;

/**
 * Where a run's walk of the settle queue has got to. Batches are taken from it one at a time (the
 * read that locks a batch's lines, then the walk moves past them) and settled side by side: the
 * next batch starts after the last line of the one taken before, whether or not that one has
 * committed, so no read steps over the lines another batch holds. A line the walk has passed is
 * settled by the batch that took it, or, if that batch failed, by the next call, which resumes
 * the run and walks from the start.
 */
class SettleQueue {
  after = '';
  stopped = false;
  private taking: Promise<unknown> = Promise.resolve();

  /** Runs `take` (which reads the lines after `after`) after the takes before it, and moves past what it took. */
  take(take: (after: string) => Promise<DueLine[]>): Promise<DueLine[]> {
    const taken = this.taking.then(async () => {
      const due = await take(this.after);
      if (due.length > 0) this.after = due.at(-1)!.id;
      return due;
    });
    this.taking = taken.catch(() => undefined);
    return taken;
  }
}

async function startOrResume(db: Q, asOf: string, startedBy: string | null, now: Date): Promise<{ run: SettlementRunsTable; resumed: boolean }> {
  const running = await db.selectFrom('settlement_runs').selectAll().where('status', '=', 'running').executeTakeFirst();
  if (running) {
    await db.updateTable('settlement_runs').set({ error: null, heartbeat_at: now.toISOString() }).where('id', '=', running.id).execute();
    return { run: { ...running, error: null, heartbeat_at: now.toISOString() }, resumed: true };
  }
  const run: SettlementRunsTable = { id: newId('settlement'), as_of: asOf, status: 'running', started_by: startedBy, started_at: now.toISOString(), finished_at: null, lines: 0, batches: 0, summary: null, error: null, heartbeat_at: now.toISOString() };
  try {
    await db.insertInto('settlement_runs').values(run).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict('settlement_running', 'another settlement run started meanwhile');
    throw error;
  }
  return { run, resumed: false };
}

/** What settling a line reads of it: its split's terms, where it stands, what was refunded. */
const DUE_LINE_COLUMNS = [...SHARE_COLUMNS, 'status', 'refunded_amount_minor'] as const;
type DueLine = Pick<CommissionsTable, (typeof DUE_LINE_COLUMNS)[number]>;

/** Settles up to `limit` due commissions, the next ones in the run's walk, in one transaction; returns how many. */
async function settleBatch(db: Q, run: SettlementRunsTable, limit: number, now: Date, queue: SettleQueue): Promise<number> {
  return inTransaction(db, async (tx) => {
    const due = await queue.take(async (after) => {
      await walkQueueInOrder(tx);
      return dueLines(tx, run, limit, after);
    });
    // Turns for the rest of the server within the batch, on SQLite: its reads go to their own
    // connection (`Db.reads`) and need only the event loop, which a batch of 5,000 lines held.
    await yieldOnSqlite(tx);
    if (due.length > 0) await settleLines(tx, run, due, now);
    return due.length;
  });
}

/**
 * The next `limit` lines due at the run's as-of after the id `after`, in id order, from the
 * partial index commissions_settle_queue (migrations 006, 015; the statuses are literals so SQLite
 * uses it). On PostgreSQL they stay locked to the caller's transaction; lines that ingestion holds
 * are skipped (the next run settles them), and ingestion waits for the lines a batch holds.
 *
 * A run walks the index once, each batch from where the one before ended: on PostgreSQL an index
 * keeps the entries of the lines a batch settled until vacuum comes, and a batch that started from
 * the beginning stepped over all of them (with `walkQueueInOrder`, the larger part of 1M lines
 * going from 111 s to 23 s).
 */
export async function dueLines(tx: Q, run: Pick<SettlementRunsTable, 'as_of'>, limit: number, after = ''): Promise<DueLine[]> {
  let query = tx
    .selectFrom('commissions')
    .select(DUE_LINE_COLUMNS)
    .where(sql<boolean>`status in ('confirmed', 'settleable')`)
    .where('settleable_at', '<=', run.as_of)
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit);
  if (isPostgres(tx)) query = query.forUpdate().skipLocked();
  return selectRows(tx, query);
}

/**
 * PostgreSQL, for the rest of the caller's transaction: read the settle queue in id order from
 * its index rather than gather the due lines and sort them. Without fresh statistics (after a bulk
 * load, or the month's lines turned due since the last analyze) the planner took a few hundred due
 * lines for granted and sorted them all for each batch: ~500 ms a batch over a million lines,
 * against ~4 ms from the index.
 */
async function walkQueueInOrder(tx: Q): Promise<void> {
  if (isPostgres(tx)) await sql`set local enable_sort = off`.execute(tx);
}

/** Moves these due lines to `settled` under the run, in the caller's transaction (`dueLines` read and locked them). */
export async function settleLines(tx: Q, run: SettlementRunsTable, due: readonly DueLine[], now: Date): Promise<void> {
  const settled = settlementTransaction(run, due);
  // The lines first, which are this batch's alone, then the rows every batch of the run adds to
  // (balances, the run's totals and counts): a batch settled beside it waits for those only from
  // here to its commit, not while its lines are written.
  for (const lines of chunked(due, LINES_PER_TURN)) {
    await updateWhereKeyIn(tx, 'commissions', 'id', lines.map((c) => c.id), { status: 'settled', settlement_id: run.id, updated_at: now.toISOString() });
    await yieldOnSqlite(tx);
  }
  await appendTransactions(tx, [settled], now.toISOString());
  await addToRunTotals(tx, run.id, settled.postings.filter((p) => p.account.endsWith(':settled')));
  await tx.updateTable('settlement_runs').set({ lines: sql`lines + ${due.length}`, batches: sql`batches + 1`, heartbeat_at: now.toISOString() }).where('id', '=', run.id).execute();
}

/** Adds what a batch moved into `settled` to its run's totals (`settlement_totals`, read when the run finishes). */
async function addToRunTotals(tx: Q, settlementId: string, postings: readonly Posting[]): Promise<void> {
  // Sorted, as balances are: concurrent batches of one run (two nodes resuming it) lock rows in one order.
  const rows = postings.map((p) => ({ settlement_id: settlementId, account: p.account, currency: p.currency, amount_minor: p.amountMinor })).sort(byAccountAndCurrency);
  for (const chunk of chunked(rows)) {
    await tx
      .insertInto('settlement_totals')
      .values(chunk)
      .onConflict((oc) => oc.columns(['settlement_id', 'account', 'currency']).doUpdateSet({ amount_minor: sql`settlement_totals.amount_minor + excluded.amount_minor` }))
      .execute();
  }
}

/**
 * One transaction per batch, not per line: each party's shares are summed per bucket they leave
 * (confirmed or settleable) and moved to `settled` together. The batch is named by its first
 * commission, which can never be in another batch.
 */
export function settlementTransaction(run: { id: string; as_of: string }, due: readonly DueLine[]): Transaction {
  // Per currency and party, what leaves each bucket: account names are made once per party at
  // the end, not twice per share (a batch has 5,000 lines and a handful of parties).
  const parties = new Map<string, { party: Party; currency: string; confirmed: number; settleable: number }>();
  for (const row of due) {
    const from = row.status as 'confirmed' | 'settleable';
    for (const share of computeShares(commissionLineOfRow(row), Number(row.refunded_amount_minor))) {
      const key = `${row.currency} ${share.party.kind} ${share.party.id}`;
      let sums = parties.get(key);
      if (sums === undefined) parties.set(key, (sums = { party: share.party, currency: row.currency, confirmed: 0, settleable: 0 }));
      sums[from] += share.amountMinor;
    }
  }
  const postings: Posting[] = [];
  for (const { party, currency, confirmed, settleable } of parties.values()) {
    if (confirmed !== 0) postings.push({ account: accountOf(party, 'confirmed'), currency, amountMinor: -confirmed });
    if (settleable !== 0) postings.push({ account: accountOf(party, 'settleable'), currency, amountMinor: -settleable });
    if (confirmed + settleable !== 0) postings.push({ account: accountOf(party, 'settled'), currency, amountMinor: confirmed + settleable });
  }
  return { id: `settlement:${run.id}:${due[0]!.id}`, kind: 'commission_moved', at: run.as_of, postings, ref: { settlementId: run.id } };
}

/** Charges unassigned claw-backs to this run, writes the statements, closes the run. */
async function finish(db: Q, run: SettlementRunsTable, now: Date, linesPerRead: number): Promise<Pick<SettlementSummary, 'settled_minor' | 'clawed_back_minor' | 'statements'>> {
  // SQLite: the run's lines are counted before the transaction, a chunk at a time with the event
  // loop given a turn between (in one read, a 1M-line run's held the server ~2 s). Counting early
  // misses nothing: a line's parties as settled do not change, and every batch has landed.
  const counted = isPostgres(db) || db.isTransaction ? undefined : await linesPerPartyInChunks(db, run.id, linesPerRead);
  return inTransaction(db, async (tx) => {
    await sql`insert into settlement_clawbacks (transaction_id, settlement_id)
      select t.id, ${run.id} from ledger_transactions t
      where t.kind = 'commission_clawed_back' and not exists (select 1 from settlement_clawbacks c where c.transaction_id = t.id)`.execute(tx);
    const parties = await statementTotals(tx, run.id, counted);
    const rows = [...parties.values()].map((p) => ({ id: newId('statement'), settlement_id: run.id, party_kind: p.kind, party_id: p.id, currency: p.currency, lines: p.lines, settled_minor: p.settled, clawed_back_minor: p.clawedBack, net_minor: p.settled + p.clawedBack, created_at: now.toISOString() }));
    for (const chunk of chunked(rows)) {
      await tx.insertInto('statements').values(chunk).onConflict((oc) => oc.columns(['settlement_id', 'party_kind', 'party_id', 'currency']).doNothing()).execute();
    }
    const settledMinor: Record<string, number> = {};
    const clawedBackMinor: Record<string, number> = {};
    for (const p of parties.values()) {
      settledMinor[p.currency] = (settledMinor[p.currency] ?? 0) + p.settled;
      clawedBackMinor[p.currency] = (clawedBackMinor[p.currency] ?? 0) + p.clawedBack;
    }
    const summary = { settled_minor: settledMinor, clawed_back_minor: clawedBackMinor, statements: rows.length };
    await tx.updateTable('settlement_runs').set({ status: 'completed', finished_at: now.toISOString(), summary: JSON.stringify(summary) }).where('id', '=', run.id).execute();
    return summary;
  });
}

interface PartyTotal {
  kind: 'creator' | 'org' | 'colonel';
  id: string;
  currency: string;
  lines: number;
  settled: number;
  clawedBack: number;
}

/** Each party's settled shares in this run (its totals, kept batch by batch) and the claw-backs charged to it (their postings). */
async function statementTotals(db: Q, settlementId: string, counted?: Map<string, number>): Promise<Map<string, PartyTotal>> {
  const settled = await db.selectFrom('settlement_totals').select(['account', 'currency', 'amount_minor as total']).where('settlement_id', '=', settlementId).execute();
  const clawed = await db
    .selectFrom('ledger_postings')
    .innerJoin('settlement_clawbacks', 'settlement_clawbacks.transaction_id', 'ledger_postings.transaction_id')
    .select(['ledger_postings.account', 'ledger_postings.currency', sql<number>`sum(ledger_postings.amount_minor)`.as('total')])
    .where('settlement_clawbacks.settlement_id', '=', settlementId)
    .where('ledger_postings.account', 'like', '%:settled')
    .groupBy(['ledger_postings.account', 'ledger_postings.currency'])
    .execute();
  const lines = counted ?? (await linesPerParty(db, settlementId));
  const out = new Map<string, PartyTotal>();
  const entry = (account: string, currency: string): PartyTotal | null => {
    const [kind, id] = account.split(':') as [string, string];
    if (kind !== 'creator' && kind !== 'org' && kind !== 'colonel') return null;
    const key = `${currency} ${kind}:${id}`;
    let e = out.get(key);
    if (!e) out.set(key, (e = { kind, id, currency, lines: lines.get(`${currency} ${kind}:${id}`) ?? 0, settled: 0, clawedBack: 0 }));
    return e;
  };
  for (const r of settled) {
    const e = entry(r.account, r.currency);
    if (e) e.settled += Number(r.total);
  }
  for (const r of clawed) {
    const e = entry(r.account, r.currency);
    if (e) e.clawedBack += Number(r.total);
  }
  return out;
}

/**
 * Lines settled in the run per creator, organisation and colonel: one read of the run's lines,
 * grouped by all three, with the parties a line had when settled if it has changed since (a late
 * payment between its batch and the finish can re-term it).
 */
async function linesPerParty(db: Q, settlementId: string): Promise<Map<string, number>> {
  const grouped = await db
    .selectFrom('commissions')
    .select(['currency', 'creator_id', 'organisation_id', 'colonel_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('settlement_id', '=', settlementId)
    .where('as_settled', 'is', null)
    .groupBy(['currency', 'creator_id', 'organisation_id', 'colonel_id'])
    .execute();
  return partyLines(grouped, await linesChangedSince(db, settlementId));
}

/** Lines read per chunk by `linesPerPartyInChunks`: ~10-20 ms of the event loop each (50,000 held it ~70 ms). */
const LINES_PER_READ = 10_000;

/**
 * `linesPerParty` on SQLite, a chunk of the run's lines at a time in rowid order, through the index
 * by settlement, with the event loop given a turn between chunks.
 */
async function linesPerPartyInChunks(db: Q, settlementId: string, linesPerRead: number): Promise<Map<string, number>> {
  const unchanged = new Map<string, PartyLines & { n: number }>();
  const changedRowids: number[] = [];
  for (let after = 0; ; ) {
    const { rows } = await sql<{ rowid: number; currency: string; creator_id: string; organisation_id: string | null; colonel_id: string | null; changed: number }>`
      select rowid, currency, creator_id, organisation_id, colonel_id, as_settled is not null as changed from commissions
      where settlement_id = ${settlementId} and rowid > ${after}
      order by rowid limit ${linesPerRead}`.execute(db);
    for (const r of rows) {
      if (r.changed) {
        changedRowids.push(r.rowid);
        continue;
      }
      const key = `${r.currency} ${r.creator_id} ${r.organisation_id} ${r.colonel_id}`;
      const group = unchanged.get(key);
      if (group) group.n += 1;
      else unchanged.set(key, { currency: r.currency, creator_id: r.creator_id, organisation_id: r.organisation_id, colonel_id: r.colonel_id, n: 1 });
    }
    if (rows.length < linesPerRead) break;
    after = rows[rows.length - 1]!.rowid;
    await yieldOnSqlite(db);
  }
  // The few lines changed since they were settled: their parties as settled, from what they kept.
  const changed: PartyLines[] = [];
  for (const rowids of chunked(changedRowids)) {
    const { rows } = await sql<Pick<CommissionsTable, (typeof SETTLED_PARTY_COLUMNS)[number]>>`
      select ${sql.join(SETTLED_PARTY_COLUMNS.map((c) => sql.ref(c)))} from commissions where rowid in (${sql.join(rowids)})`.execute(db);
    for (const r of rows) changed.push({ ...lineAsSettled(r), n: 1 });
  }
  return partyLines([...unchanged.values()], changed);
}

/** What a line's parties as settled are read from: its own columns, or what it kept when it changed since (`as_settled`, whose fields are commissions.ts's AS_SETTLED_COLUMNS). */
const SETTLED_PARTY_COLUMNS = ['currency', 'creator_id', 'organisation_id', 'organisation_share_bps', 'colonel_id', 'colonel_share_bps', 'rate_bps', 'plan_kind', 'plan_id', 'refunded_amount_minor', 'paid_at', 'as_settled'] as const;

/** The run's lines changed since they were settled, with the parties they were settled with. */
async function linesChangedSince(db: Q, settlementId: string) {
  const changed = await db
    .selectFrom('commissions')
    .select(SETTLED_PARTY_COLUMNS)
    .where('settlement_id', '=', settlementId)
    .where('as_settled', 'is not', null)
    .execute();
  return changed.map((r) => ({ ...lineAsSettled(r), n: 1 }));
}

/** Lines of one currency with the same parties. */
interface PartyLines {
  currency: string;
  creator_id: string;
  organisation_id: string | null;
  colonel_id: string | null;
  n: number | bigint;
}

/** Lines per currency and party (`CNY creator:…`, `CNY org:…`, `CNY colonel:…`): a party's statement of each currency counts its own. */
function partyLines(...groups: PartyLines[][]): Map<string, number> {
  const rows = groups.flat();
  const out = new Map<string, number>();
  const add = (party: string, n: number) => out.set(party, (out.get(party) ?? 0) + n);
  for (const r of rows) {
    add(`${r.currency} creator:${r.creator_id}`, Number(r.n));
    if (r.organisation_id !== null) add(`${r.currency} org:${r.organisation_id}`, Number(r.n));
    if (r.colonel_id !== null) add(`${r.currency} colonel:${r.colonel_id}`, Number(r.n));
  }
  return out;
}

/**
 * Moves confirmed commissions whose return window has passed to `settleable` (scheduled hourly,
 * so the earnings summary shows what the next settlement will pay). Per line, in batches.
 */
export async function advanceCommissions(db: Q, asOf: Date, batchLines = 1_000): Promise<number> {
  let moved = 0;
  let after = '';
  for (;;) {
    const n = await inTransaction(db, async (tx) => {
      await walkQueueInOrder(tx);
      // The statuses as literals, as in the partial index commissions_settle_queue (migration
      // 015), which also holds lines already settleable: walked by id from where the last batch
      // ended, so each run reads the index once.
      // On PostgreSQL a line that ingestion holds (a refund in flight) is left for the next run:
      // moved from a reading taken before that refund, it would move its refunded part too.
      let query = tx
        .selectFrom('commissions')
        .selectAll()
        .where(sql<boolean>`status in ('confirmed', 'settleable')`)
        .where(sql<boolean>`status = 'confirmed'`)
        .where('settleable_at', '<=', asOf.toISOString())
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchLines);
      if (isPostgres(tx)) query = query.forUpdate().skipLocked();
      const due = await query.execute();
      if (due.length > 0) after = due[due.length - 1]!.id;
      const transactions = due.map((row) => commissionMoved(lineOfRow(row), Number(row.refunded_amount_minor), 'confirmed', 'settleable', row.settleable_at!));
      await appendTransactions(tx, combined(transactions), asOf.toISOString());
      await updateWhereKeyIn(tx, 'commissions', 'id', due.map((c) => c.id), { status: 'settleable', updated_at: asOf.toISOString() }, { status: 'confirmed' });
      return due.length;
    });
    moved += n;
    if (n < batchLines) return moved;
    await yieldOnSqlite(db);
  }
}

/** `--as-of 2026-12-01` means the first instant of that Asia/Shanghai day; an ISO instant is taken as it is. */
export function parseAsOf(value: string | undefined, now = new Date()): Date {
  if (value === undefined) return now;
  const asDate = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00+08:00`) : Date.parse(value);
  if (Number.isNaN(asDate)) throw new InvalidInput('invalid_as_of', `as_of must be a date (2026-12-01) or an ISO-8601 instant, got "${value}"`);
  return new Date(asDate);
}
