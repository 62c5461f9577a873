import { afterEach, describe, expect, it } from 'vitest';
import type { WithdrawalStatus } from '../../db/schema.ts';
import { DIALECTS, openTestDb, queryPlan, watchedQueries, type TestDb } from '../../db/testing.ts';
import { createUser } from '../accounts/service.ts';
import { dailyEarningsOf, statementsPage } from './service.ts';
import { payoutBatches, withdrawalsInBatch, withdrawalsOf } from './withdrawals.ts';

const SCAN = /\bSCAN (commissions|statements|withdrawals)\b(?! USING)|Seq Scan on (commissions|statements|withdrawals)\b/;

/** Pages whose reads grow with a table of everyone's rows read only what they show (migration 024). */
describe.each(DIALECTS)('read paths of the money pages on %s', (dialect) => {
  let db: TestDb | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it("reads a colonel's earnings through commissions_colonel, not every commission line", async () => {
    db = await openTestDb(dialect);
    const colonel = await createUser(db.kysely, { role: 'colonel', email: 'col@paths.cn', password: 'password1', name: 'col' });
    const { spy, seen } = watchedQueries(db.kysely);
    await dailyEarningsOf(spy, colonel, 30);
    const read = seen.find((q) => /from "commissions"/.test(q.sql))!;
    const plan = await queryPlan(db.kysely, read);
    expect(plan).toContain('commissions_colonel');
    expect(plan).not.toMatch(SCAN);
  });

  it("reads a page of the operator's statements off statements_newest, in the list's order", async () => {
    db = await openTestDb(dialect);
    const operator = await createUser(db.kysely, { role: 'operator', email: 'op@paths.cn', password: 'password1', name: 'op' });
    const { spy, seen } = watchedQueries(db.kysely);
    await statementsPage(spy, operator, { limit: 50 });
    const plan = await queryPlan(db.kysely, seen.find((q) => /from "statements"/.test(q.sql))!);
    expect(plan).toContain('statements_newest');
    expect(plan).not.toMatch(SCAN);
    // In the list's order, so a page stops at its limit (PostgreSQL may still sort a table of a few rows).
    if (dialect === 'sqlite') expect(plan).not.toContain('USE TEMP B-TREE FOR ORDER BY');
  });

  it("reads the operator's latest withdrawals off withdrawals_requested, newest first", async () => {
    db = await openTestDb(dialect);
    const operator = await createUser(db.kysely, { role: 'operator', email: 'op@paths.cn', password: 'password1', name: 'op' });
    const { spy, seen } = watchedQueries(db.kysely);
    await withdrawalsOf(spy, operator);
    const plan = await queryPlan(db.kysely, seen.find((q) => /from "withdrawals"/.test(q.sql))!);
    expect(plan).toContain('withdrawals_requested');
    expect(plan).not.toMatch(SCAN);
    if (dialect === 'sqlite') expect(plan).not.toContain('USE TEMP B-TREE FOR ORDER BY');
  });

  it("reads a batch's withdrawals through withdrawals_batch, and the batches' totals off their own rows", async () => {
    db = await openTestDb(dialect);
    const q = db.kysely;
    const creator = await createUser(q, { role: 'creator', email: 'c@paths.cn', password: 'password1', name: 'c', handle: 'paths_c' });
    await q
      .insertInto('payout_batches')
      .values([
        // With their totals, as a batch's creation and its lines' decisions keep them (migration 025).
        { id: 'batch_1', status: 'closed', created_by: creator.id, created_at: '2026-10-01T00:00:00.000Z', closed_at: '2026-10-02T00:00:00.000Z', withdrawals: 3, amount_minor: 4250, currency: 'CNY', paid: 2, failed: 1 },
        { id: 'batch_2', status: 'open', created_by: creator.id, created_at: '2026-11-01T00:00:00.000Z', closed_at: null, withdrawals: 1, amount_minor: 1234, currency: 'CNY', paid: 0, failed: 0 },
        { id: 'batch_3', status: 'open', created_by: creator.id, created_at: '2026-11-02T00:00:00.000Z', closed_at: null, withdrawals: 0, amount_minor: 0, currency: 'CNY', paid: 0, failed: 0 },
      ])
      .execute();
    const withdrawal = (id: string, batch: string | null, status: WithdrawalStatus, amount: number) => ({
      id, party_kind: 'creator' as const, party_id: creator.id, requested_by: creator.id, currency: 'CNY', amount_minor: amount, payee_name: 'c', payee_account: 'c@alipay',
      status, batch_id: batch, idempotency_key: null, failure_reason: status === 'failed' ? 'closed account' : null, requested_at: '2026-09-30T00:00:00.000Z', decided_at: null,
    });
    await q
      .insertInto('withdrawals')
      .values([
        withdrawal('wd_1', 'batch_1', 'paid', 1000),
        withdrawal('wd_2', 'batch_1', 'paid', 2550),
        withdrawal('wd_3', 'batch_1', 'failed', 700),
        withdrawal('wd_4', 'batch_2', 'in_batch', 1234),
        withdrawal('wd_5', null, 'requested', 9999),
      ])
      .execute();
    const { spy, seen } = watchedQueries(q);
    expect(await payoutBatches(spy)).toEqual([
      { id: 'batch_3', status: 'open', created_at: '2026-11-02T00:00:00.000Z', closed_at: null, withdrawals: 0, currency: 'CNY', amount_minor: 0, paid: 0, failed: 0 },
      { id: 'batch_2', status: 'open', created_at: '2026-11-01T00:00:00.000Z', closed_at: null, withdrawals: 1, currency: 'CNY', amount_minor: 1234, paid: 0, failed: 0 },
      { id: 'batch_1', status: 'closed', created_at: '2026-10-01T00:00:00.000Z', closed_at: '2026-10-02T00:00:00.000Z', withdrawals: 3, currency: 'CNY', amount_minor: 4250, paid: 2, failed: 1 },
    ]);
    expect(seen.filter((s) => /from "withdrawals"/.test(s.sql))).toEqual([]);
    expect((await withdrawalsInBatch(spy, 'batch_1')).map((w) => w.id)).toEqual(['wd_1', 'wd_2', 'wd_3']);
    for (const read of seen.filter((s) => /from "withdrawals"/.test(s.sql))) {
      const plan = await queryPlan(q, read);
      expect(plan).toContain('withdrawals_batch');
      expect(plan).not.toMatch(SCAN);
    }
  });
});
