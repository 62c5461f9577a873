import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from '../../db/bulk.ts';
import type { CommissionsTable } from '../../db/schema.ts';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import { inTransaction } from '../../db/transaction.ts';
import { createUser } from '../accounts/service.ts';
import { commissionLineOfRow } from './commissions.ts';
import { accountOf, computeShares } from './postings.ts';
import { statementLines, statementOf, statementsOf, statementsPage } from './service.ts';
import { settle } from './settlement.ts';
import { refuseSettling, seedLines } from './testing.ts';
import { balanceDrift, unbalancedTransactions } from './store.ts';

const DAY = 86_400_000;

/**
 * A run over lines of several creators, half with an organisation and some with a colonel, in
 * batches smaller than the run: each party's statement counts its lines and sums its shares, and
 * the ledger moves exactly those shares to settled.
 */
describe.each(DIALECTS)('a settlement run on %s', (dialect) => {
  let db: TestDb;
  let due: CommissionsTable[] = [];
  let notDue: string[] = [];

  beforeAll(async () => {
    db = await openTestDb(dialect);
    ({ due, notDue } = await seedLines(db));
  }, 60_000);
  afterAll(() => db.close());

  it('writes one statement per party with its lines and shares, and moves those shares to settled', async () => {
    // Lines counted per party five at a time at the finish (SQLite reads them in chunks).
    const summary = await settle(db.kysely, { asOf: new Date(), batchLines: 7, linesPerRead: 5 });
    expect(summary).toMatchObject({ lines: 36, batches: 6 });

    const expected = new Map<string, { lines: number; settled: number }>();
    for (const row of due) {
      for (const share of computeShares(commissionLineOfRow(row), Number(row.refunded_amount_minor))) {
        if (share.party.kind === 'platform') continue;
        const key = `${share.party.kind}:${share.party.id}`;
        const e = expected.get(key) ?? { lines: 0, settled: 0 };
        expected.set(key, { lines: e.lines + 1, settled: e.settled + share.amountMinor });
      }
    }
    const statements = await db.kysely.selectFrom('statements').selectAll().where('settlement_id', '=', summary.settlement_id).execute();
    expect(new Map(statements.map((s) => [`${s.party_kind}:${s.party_id}`, { lines: Number(s.lines), settled: Number(s.settled_minor) }]))).toEqual(expected);
    expect([...expected.keys()].sort()).toEqual(['colonel:usr_colonel', 'creator:usr_c0', 'creator:usr_c1', 'creator:usr_c2', 'org:org_one']);

    const balances = await db.kysely.selectFrom('ledger_balances').select(['account', 'balance_minor']).where('account', 'like', '%:settled').execute();
    const settledBalance = new Map(balances.map((b) => [b.account, Number(b.balance_minor)]));
    for (const [party, e] of expected) expect(settledBalance.get(accountOf({ kind: party.split(':')[0] as 'creator', id: party.split(':')[1]! }, 'settled'))).toBe(e.settled);
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  });

  it("lists each party's lines on its statement, oldest payment first, adding up to what it settled; the first few when asked", async () => {
    const operator = await createUser(db.kysely, { role: 'operator', email: 'op@settle.cn', password: 'password1', name: 'op' });
    const statements = await statementsOf(db.kysely, operator);
    expect(statements).toHaveLength(5);
    for (const statement of statements) {
      const { lines } = await statementLines(db.kysely, operator, statement.id);
      expect({ lines: lines.length, settled: lines.reduce((a, l) => a + l.shareMinor, 0) }).toEqual({ lines: statement.lines, settled: statement.settledMinor });
      const order = lines.map((l) => `${l.paidAt} ${l.orderId}`);
      expect(order).toEqual([...order].sort());
      expect((await statementLines(db.kysely, operator, statement.id, 3)).lines).toEqual(lines.slice(0, 3));
    }
  });

  it('opens any statement of a run by its id, however many statements the run has', async () => {
    const operator = await createUser(db.kysely, { role: 'operator', email: 'op2@settle.cn', password: 'password1', name: 'op2' });
    const [real] = await statementsOf(db.kysely, operator);
    // 1,200 more statements in the run, newer than the real ones: a list of the run shows its first 1,000.
    const later = new Date(Date.now() + DAY).toISOString();
    const more = Array.from({ length: 1200 }, (_, i) => ({ id: `stm_more${i}`, settlement_id: real!.settlementId, party_kind: 'creator' as const, party_id: `usr_more${i}`, currency: 'CNY', lines: 0, settled_minor: 0, clawed_back_minor: 0, net_minor: 0, created_at: later }));
    await inTransaction(db.kysely, (tx) => insertRows(tx, 'statements', more));
    expect((await statementsOf(db.kysely, operator, { settlementId: real!.settlementId })).some((s) => s.id === real!.id)).toBe(false);
    expect(await statementOf(db.kysely, operator, real!.id)).toEqual(real);
    expect((await statementLines(db.kysely, operator, real!.id)).lines).toHaveLength(real!.lines);
    // Page by page, every statement of the run comes once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof statementsPage>> = await statementsPage(db.kysely, operator, { settlementId: real!.settlementId, limit: 500, cursor });
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(1205);
    expect(new Set(seen).size).toBe(1205);
    expect(seen.slice(0, 1200)).toEqual(more.map((m) => m.id).sort());
    await db.kysely.deleteFrom('statements').where('id', 'like', 'stm_more%').execute();
  });

  it('leaves lines not due, estimated or reversed as they were, and a second run finds nothing', async () => {
    const rows = await db.kysely.selectFrom('commissions').select(['id', 'status', 'settlement_id']).where('id', 'in', notDue).orderBy('id').execute();
    expect(rows.map((r) => [r.status, r.settlement_id])).toEqual([['estimated', null], ['reversed', null], ['confirmed', null], ['settleable', null]]);
    expect(await settle(db.kysely, { asOf: new Date() })).toMatchObject({ lines: 0, statements: 0 });
  });
});

/** Each party's shares of these lines, by ledger account of its settled money. */
function settledSharesOf(lines: readonly CommissionsTable[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of lines) {
    for (const share of computeShares(commissionLineOfRow(row), Number(row.refunded_amount_minor))) {
      const account = accountOf(share.party, 'settled');
      out.set(account, (out.get(account) ?? 0) + share.amountMinor);
    }
  }
  return out;
}

/**
 * On PostgreSQL a run settles batches side by side, on connections of their own (SQLite, one
 * writer, one at a time); whichever way, every due line is settled once, by one batch, and a
 * batch that fails leaves the others whole and the run to be resumed.
 */
describe.each(DIALECTS)('settlement batches side by side on %s', (dialect) => {
  let db: TestDb;
  afterEach(() => db.close());

  async function settledState(run: string): Promise<{ lines: string[]; balances: Map<string, number>; counted: number }> {
    const lines = await db.kysely.selectFrom('commissions').select('id').where('settlement_id', '=', run).where('status', '=', 'settled').orderBy('id').execute();
    const balances = await db.kysely.selectFrom('ledger_balances').select(['account', 'balance_minor']).where('account', 'like', '%:settled').execute();
    const counted = await db.kysely.selectFrom('settlement_runs').select('lines').where('id', '=', run).executeTakeFirstOrThrow();
    return { lines: lines.map((l) => l.id), balances: new Map(balances.map((b) => [b.account, Number(b.balance_minor)]).filter(([, v]) => v !== 0) as [string, number][]), counted: Number(counted.lines) };
  }

  it("counts a line re-termed between its batch and the run's finish for the parties it was settled with", async () => {
    db = await openTestDb(dialect);
    const { due } = await seedLines(db);
    const allow = await refuseSettling(db, 'com_settle017');
    await expect(settle(db.kysely, { asOf: new Date(), batchLines: 5 })).rejects.toThrow(/refused for the test/);
    await allow();
    // A line of the organisation settled in a batch that landed loses its organisation (a late
    // payment re-terms it), keeping what it was settled on, as ingestion does.
    const line = (await db.kysely.selectFrom('commissions').selectAll().where('status', '=', 'settled').where('organisation_id', '=', 'org_one').orderBy('id').executeTakeFirstOrThrow());
    const asSettled = JSON.stringify({ rate_bps: line.rate_bps, plan_kind: line.plan_kind, plan_id: line.plan_id, colonel_id: line.colonel_id, colonel_share_bps: line.colonel_share_bps, organisation_id: line.organisation_id, organisation_share_bps: line.organisation_share_bps, refunded_amount_minor: Number(line.refunded_amount_minor), paid_at: line.paid_at });
    await db.kysely.updateTable('commissions').set({ organisation_id: null, organisation_share_bps: null, as_settled: asSettled }).where('id', '=', line.id).execute();
    const summary = await settle(db.kysely, { asOf: new Date(), batchLines: 5, linesPerRead: 3 });
    expect(summary).toMatchObject({ resumed: true, lines: 36 });
    const org = await db.kysely.selectFrom('statements').select('lines').where('settlement_id', '=', summary.settlement_id).where('party_kind', '=', 'org').executeTakeFirstOrThrow();
    expect(Number(org.lines)).toBe(due.filter((l) => l.organisation_id === 'org_one').length);
  });

  it('counts on each statement of a party only the lines of its currency', async () => {
    db = await openTestDb(dialect);
    const { due } = await seedLines(db);
    // Three of usr_c0's due lines were paid in USD.
    const usd = due.filter((l) => l.creator_id === 'usr_c0').slice(0, 3).map((l) => l.id);
    await db.kysely.updateTable('commissions').set({ currency: 'USD' }).where('id', 'in', usd).execute();
    const summary = await settle(db.kysely, { asOf: new Date(), batchLines: 4, linesPerRead: 5 });
    const statements = await db.kysely.selectFrom('statements').select(['currency', 'lines']).where('settlement_id', '=', summary.settlement_id).where('party_kind', '=', 'creator').where('party_id', '=', 'usr_c0').orderBy('currency').execute();
    const c0 = due.filter((l) => l.creator_id === 'usr_c0').length;
    expect(statements.map((st) => ({ currency: st.currency, lines: Number(st.lines) }))).toEqual([{ currency: 'CNY', lines: c0 - 3 }, { currency: 'USD', lines: 3 }]);
  });

  it('lets the server answer between batches: a timer due at the start fires while the run goes', async () => {
    db = await openTestDb(dialect);
    await seedLines(db);
    let settling = true;
    let firedWhileSettling: boolean | undefined;
    setTimeout(() => (firedWhileSettling = settling), 0);
    const summary = await settle(db.kysely, { asOf: new Date(), batchLines: 5 });
    settling = false;
    expect(summary.lines).toBe(36);
    expect(firedWhileSettling).toBe(true);
  });

  it('settles each due line once, one line a batch, four batches at a time', async () => {
    db = await openTestDb(dialect);
    const { due } = await seedLines(db);
    const summary = await settle(db.kysely, { asOf: new Date(), batchLines: 1, workers: 4 });
    expect(summary).toMatchObject({ lines: 36, batches: 36, statements: 5 });
    const state = await settledState(summary.settlement_id);
    expect(state.lines).toEqual(due.map((l) => l.id).sort());
    expect(state.counted).toBe(36);
    expect(state.balances).toEqual(settledSharesOf(due));
    const batches = await db.kysely.selectFrom('ledger_transactions').select('id').where('id', 'like', `settlement:${summary.settlement_id}:%`).execute();
    expect(batches).toHaveLength(36);
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  });

  it('stops when a batch fails, keeps the batches that landed, and the next call resumes the run and settles the rest once', async () => {
    db = await openTestDb(dialect);
    const { due } = await seedLines(db);
    // The database refuses to settle one line, in the fourth batch of five lines.
    const allow = await refuseSettling(db, 'com_settle017');
    await expect(settle(db.kysely, { asOf: new Date(), batchLines: 5, workers: 2 })).rejects.toThrow(/refused for the test/);
    const run = await db.kysely.selectFrom('settlement_runs').selectAll().executeTakeFirstOrThrow();
    expect(run.status).toBe('running');
    const partly = await settledState(run.id);
    expect(partly.lines).not.toContain('com_settle017');
    // Whole batches only: what the run counted is what was settled, and its money moved with it.
    expect(partly.lines.length % 5).toBe(0);
    expect(partly.counted).toBe(partly.lines.length);
    expect(partly.balances).toEqual(settledSharesOf(due.filter((l) => partly.lines.includes(l.id))));

    await allow();
    const resumed = await settle(db.kysely, { asOf: new Date(), batchLines: 5, workers: 2 });
    expect(resumed).toMatchObject({ settlement_id: run.id, resumed: true, lines: 36, statements: 5 });
    const state = await settledState(run.id);
    expect(state.lines).toEqual(due.map((l) => l.id).sort());
    expect(state.counted).toBe(36);
    expect(state.balances).toEqual(settledSharesOf(due));
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  });
});

describe('a settlement batch on sqlite', () => {
  it('gives the server turns within a batch: a callback queued at the start runs while the first batch is open, and a read then finds none of its lines settled', async () => {
    const db = await openTestDb('sqlite');
    try {
      await seedLines(db);
      let seen: { batchOpen: boolean; settled: Promise<number> } | undefined;
      // An immediate, not a timer: it runs at the run's first turn of the event loop, whatever the
      // machine's speed (a timer of 1 ms was not yet due there when the batch was quick).
      setImmediate(() => {
        seen = {
          batchOpen: db.sqlite!.inTransaction,
          // Through the read connection, as a dashboard reads: the last commit, not the open batch.
          settled: db.reads.selectFrom('commissions').select('id').where('status', '=', 'settled').execute().then((rows) => rows.length),
        };
      });
      const summary = await settle(db.kysely, { asOf: new Date() }); // one batch: 36 lines
      expect(summary).toMatchObject({ lines: 36, batches: 1 });
      expect(seen?.batchOpen).toBe(true);
      expect(await seen!.settled).toBe(0);
    } finally {
      await db.close();
    }
  });
});
