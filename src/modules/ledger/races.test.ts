import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/connection.ts';
import type { Database, SettlementRunsTable } from '../../db/schema.ts';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { User } from '../accounts/model.ts';
import { createUser } from '../accounts/service.ts';
import { recordPastClicks } from '../links/service.ts';
import { seedSource } from '../links/testing.ts';
import type { OrderEvent } from '../orders/model.ts';
import { attributeByHand, ingestOrderEvents } from '../orders/service.ts';
import { earningsOf } from './service.ts';
import { advanceCommissions, dueLines, settle, settleLines } from './settlement.ts';
import { createPayoutBatch, recordPayout, requestWithdrawal } from './withdrawals.ts';
import { appendTransactions, balanceDrift, unbalancedTransactions } from './store.ts';

const T0 = Date.parse('2026-11-01T02:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Resolves once some backend of this database waits for a lock another holds (PostgreSQL). */
async function someoneWaits(db: Kysely<Database>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted and pid in (select pid from pg_stat_activity where datname = current_database())`.execute(db);
    if (rows[0]!.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('nobody came to wait for the lock');
}

/**
 * PostgreSQL: `holder` runs in a transaction on a second connection. Where it calls `meanwhile`,
 * `second` starts on the test's own connection, and the holder goes on once `second` waits for a
 * lock it holds. Resolves with both results when the holder has committed and `second` is done.
 */
async function whileHeld<H, S>(db: TestDb, holder: (tx: Kysely<Database>, meanwhile: () => Promise<void>) => Promise<H>, second: () => Promise<S>): Promise<[H, S]> {
  const other = openDb(db.url);
  let started: Promise<S> | undefined;
  try {
    const held = await inTransaction(other.kysely, (tx) =>
      holder(tx, async () => {
        started = second();
        await someoneWaits(db.kysely);
      }),
    );
    return [held, await started!];
  } finally {
    await other.close();
  }
}

/**
 * Ingestion and the ledger's scheduled work touch the same commission lines. On PostgreSQL they
 * run side by side: a refund that arrives while a settlement batch holds its line must wait and
 * then claw back from `settled` (not set the line back to settleable, to be settled again), and
 * the hourly move must leave a line that a refund holds for its next run. SQLite has one writer,
 * so there the same events simply come one after the other; the outcome must be the same.
 */
describe.each(DIALECTS)('refunds racing the ledger jobs on %s', (dialect) => {
  let db: TestDb;
  let creatorId: string;
  let sourceId: string;
  const event = (orderId: string, status: OrderEvent['status'], atMs: number, refunded = 0): OrderEvent => ({
    orderId, status, occurredAt: iso(atMs), currency: 'CNY', clickId: 'clk_race', subId: null, lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 10_000, refundedAmountMinor: refunded }],
  });
  const ingest = (events: OrderEvent[], nowMs: number) => ingestOrderEvents(db.kysely, sourceId, events.map((e) => ({ event: e })), { via: 'webhook', now: new Date(nowMs) });
  const lineOf = (orderId: string) =>
    db.kysely.selectFrom('commissions').innerJoin('orders', 'orders.id', 'commissions.order_id').select(['commissions.id', 'commissions.status', 'commissions.refunded_amount_minor', 'commissions.creator_amount_minor', 'commissions.settlement_id']).where('orders.source_order_id', '=', orderId).executeTakeFirstOrThrow();

  beforeAll(async () => {
    db = await openTestDb(dialect);
    const creator = await createUser(db.kysely, { role: 'creator', email: 'c@race.cn', password: 'password1', name: 'c', handle: 'race_c' });
    creatorId = creator.id;
    const seeded = await seedSource(db.kysely, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }]);
    sourceId = seeded.sourceId;
    await recordPastClicks(db.kysely, [{ id: 'clk_race', link_code: 'code1', creator_id: creator.id, product_id: seeded.productIds.P1!, source_id: sourceId, channel: 'showcase', clicked_at: iso(T0 - DAY), ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 }]);
    // Two orders paid and completed on day 0: confirmed, their window ends on day 7.
    await ingest(['SETTLED', 'MOVED'].flatMap((id) => [event(id, 'paid', T0), event(id, 'completed', T0 + 1000)]), T0 + DAY);
  });
  afterAll(() => db.close());

  it('a refund that comes while a settlement batch holds its line is clawed back after it, and the line is settled once', async () => {
    expect(await advanceCommissions(db.kysely, new Date(T0 + 9 * DAY))).toBe(2);
    const asOf = iso(T0 + 10 * DAY);
    const refund = () => ingest([event('SETTLED', 'completed', T0 + 9 * DAY, 4_000)], T0 + 10 * DAY);
    if (dialect === 'sqlite') {
      await settle(db.kysely, { asOf: new Date(asOf), now: () => new Date(T0 + 10 * DAY) });
      await refund();
    } else {
      // The batch of a run, by hand: it takes its lines, the refund comes and waits for them,
      // the batch moves them to settled and commits, the refund goes on.
      const run: SettlementRunsTable = { id: 'settlement_race', as_of: asOf, status: 'running', started_by: null, started_at: asOf, finished_at: null, lines: 0, batches: 0, summary: null, error: null, heartbeat_at: null };
      await whileHeld(
        db,
        async (tx, meanwhile) => {
          await tx.insertInto('settlement_runs').values(run).execute();
          const due = await dueLines(tx, run, 100);
          expect(due).toHaveLength(2);
          await meanwhile();
          await settleLines(tx, run, due, new Date(T0 + 10 * DAY));
        },
        refund,
      );
      // The next call finishes the run: its statements, with the claw-back.
      expect(await settle(db.kysely, { asOf: new Date(asOf), now: () => new Date(T0 + 10 * DAY) })).toMatchObject({ resumed: true, lines: 2 });
    }
    const line = await lineOf('SETTLED');
    expect([line.status, Number(line.refunded_amount_minor)]).toEqual(['settled', 4_000]);
    expect(line.settlement_id).not.toBeNull();
    const earnings = await earningsOf(db.kysely, { kind: 'creator', id: creatorId }, 'CNY');
    // What is left after the claw-back is exactly this line's share on 6,000 and the other line's on 10,000.
    const other = await lineOf('MOVED');
    expect(earnings).toMatchObject({ estimated: 0, confirmed: 0, settleable: 0, settled: Number(line.creator_amount_minor) + Number(other.creator_amount_minor) });
    expect(Number(line.creator_amount_minor)).toBeLessThan(Number(other.creator_amount_minor));
    expect(await settle(db.kysely, { asOf: new Date(T0 + 11 * DAY) })).toMatchObject({ lines: 0 });
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  });
});

describe.each(DIALECTS.filter((d) => d === 'postgres'))('the hourly move beside a refund in flight on %s', (dialect) => {
  let db: TestDb;
  let sourceId: string;
  const event = (status: OrderEvent['status'], atMs: number, refunded = 0): OrderEvent => ({
    orderId: 'HELD', status, occurredAt: iso(atMs), currency: 'CNY', clickId: 'clk_held', subId: null, lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 10_000, refundedAmountMinor: refunded }],
  });

  beforeAll(async () => {
    db = await openTestDb(dialect);
    const creator = await createUser(db.kysely, { role: 'creator', email: 'h@race.cn', password: 'password1', name: 'h', handle: 'race_h' });
    const seeded = await seedSource(db.kysely, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }]);
    sourceId = seeded.sourceId;
    await recordPastClicks(db.kysely, [{ id: 'clk_held', link_code: 'code1', creator_id: creator.id, product_id: seeded.productIds.P1!, source_id: sourceId, channel: 'showcase', clicked_at: iso(T0 - DAY), ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 }]);
    await ingestOrderEvents(db.kysely, sourceId, [event('paid', T0), event('completed', T0 + 1000)].map((e) => ({ event: e })), { via: 'webhook', now: new Date(T0 + DAY) });
  });
  afterAll(() => db.close());

  it('leaves a line that ingestion holds for its next run, and moves it then from where the refund left it', async () => {
    const other = openDb(db.url);
    try {
      await inTransaction(other.kysely, async (tx) => {
        // What ingestion of a refund holds while it plans: the order's commission lines.
        await tx.selectFrom('commissions').select('id').forUpdate().execute();
        const moved = await Promise.race([advanceCommissions(db.kysely, new Date(T0 + 9 * DAY)), new Promise((resolve) => setTimeout(() => resolve('blocked'), 5_000))]);
        expect(moved).toBe(0);
      });
    } finally {
      await other.close();
    }
    await ingestOrderEvents(db.kysely, sourceId, [{ event: event('completed', T0 + 2 * DAY, 2_500) }], { via: 'webhook', now: new Date(T0 + 3 * DAY) });
    expect(await advanceCommissions(db.kysely, new Date(T0 + 9 * DAY))).toBe(1);
    const line = await db.kysely.selectFrom('commissions').select(['status', 'refunded_amount_minor']).executeTakeFirstOrThrow();
    expect([line.status, Number(line.refunded_amount_minor)]).toEqual(['settleable', 2_500]);
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  });
});

describe.each(DIALECTS)('an attribution by hand beside a delivery about the same order on %s', (dialect) => {
  let db: TestDb;
  let sourceId: string;
  let creatorId: string;
  let operator: User;
  const event = (status: OrderEvent['status'], atMs: number, refunded = 0): OrderEvent => ({
    orderId: 'ORPHAN', status, occurredAt: iso(atMs), currency: 'CNY', clickId: null, subId: null, lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 10_000, refundedAmountMinor: refunded }],
  });

  beforeAll(async () => {
    db = await openTestDb(dialect);
    creatorId = (await createUser(db.kysely, { role: 'creator', email: 'a@race.cn', password: 'password1', name: 'a', handle: 'race_a' })).id;
    operator = await createUser(db.kysely, { role: 'operator', email: 'op@race.cn', password: 'password1', name: 'op' });
    sourceId = (await seedSource(db.kysely, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }])).sourceId;
    await ingestOrderEvents(db.kysely, sourceId, [{ event: event('paid', T0) }], { via: 'webhook', now: new Date(T0 + 1000) });
  });
  afterAll(() => db.close());

  it('books the commission on the state the delivery left, not the one before it', async () => {
    const { id: orderId } = await db.kysely.selectFrom('orders').select('id').executeTakeFirstOrThrow();
    const refund = (q: Kysely<Database>) => ingestOrderEvents(q, sourceId, [{ event: event('paid', T0 + DAY, 3_000) }], { via: 'webhook', now: new Date(T0 + DAY) });
    if (dialect === 'sqlite') {
      await refund(db.kysely);
      await attributeByHand(db.kysely, operator, orderId, { creatorId, reason: 'screenshot of the live stream' }, new Date(T0 + DAY));
    } else {
      // The delivery holds the order; the operator's attribution comes meanwhile and must wait.
      await whileHeld(
        db,
        async (tx, meanwhile) => {
          await refund(tx);
          await meanwhile();
        },
        () => attributeByHand(db.kysely, operator, orderId, { creatorId, reason: 'screenshot of the live stream' }, new Date(T0 + DAY)),
      );
    }
    const line = await db.kysely.selectFrom('commissions').select(['status', 'refunded_amount_minor', 'commission_minor']).executeTakeFirstOrThrow();
    expect([line.status, Number(line.refunded_amount_minor)]).toEqual(['estimated', 3_000]);
    const earnings = await earningsOf(db.kysely, { kind: 'creator', id: creatorId }, 'CNY');
    const booked = await db.kysely.selectFrom('commissions').select('creator_amount_minor').executeTakeFirstOrThrow();
    expect(earnings.estimated).toBe(Number(booked.creator_amount_minor));
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  });
});

describe.each(DIALECTS)('the last two lines of a payout batch decided at once on %s', (dialect) => {
  let db: TestDb;
  let operator: User;
  let batchId: string;

  beforeAll(async () => {
    db = await openTestDb(dialect);
    operator = await createUser(db.kysely, { role: 'operator', email: 'op@payout.cn', password: 'password1', name: 'op' });
    // Two payees: one party's lines would wait for each other on its balance rows anyway.
    const one = await createUser(db.kysely, { role: 'creator', email: 'c1@payout.cn', password: 'password1', name: 'c1', handle: 'payout_c1' });
    const two = await createUser(db.kysely, { role: 'creator', email: 'c2@payout.cn', password: 'password1', name: 'c2', handle: 'payout_c2' });
    const at = iso(T0);
    await db.kysely
      .insertInto('withdrawals')
      .values([['wd_one', one.id], ['wd_two', two.id]].map(([id, payee]) => ({ id: id!, party_kind: 'creator' as const, party_id: payee!, requested_by: payee!, currency: 'CNY', amount_minor: 5_000, payee_name: '林', payee_account: 'alipay:lin', status: 'requested' as const, batch_id: null, idempotency_key: null, failure_reason: null, requested_at: at, decided_at: null })))
      .execute();
    batchId = (await createPayoutBatch(db.kysely, operator, new Date(T0 + 1000))).id;
  });
  afterAll(() => db.close());

  it('closes the batch with whichever line is decided last', async () => {
    if (dialect === 'sqlite') {
      await recordPayout(db.kysely, operator, 'wd_one', { paid: true }, new Date(T0 + 2000));
      await recordPayout(db.kysely, operator, 'wd_two', { paid: false, reason: 'account closed' }, new Date(T0 + 2000));
    } else {
      await whileHeld(
        db,
        async (tx, meanwhile) => {
          await recordPayout(tx, operator, 'wd_one', { paid: true }, new Date(T0 + 2000));
          await meanwhile();
        },
        () => recordPayout(db.kysely, operator, 'wd_two', { paid: false, reason: 'account closed' }, new Date(T0 + 2000)),
      );
    }
    expect(await db.kysely.selectFrom('payout_batches').select(['status']).where('id', '=', batchId).executeTakeFirstOrThrow()).toEqual({ status: 'closed' });
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
  });
});

describe.each(DIALECTS)('a withdrawal retried while the first request is still running on %s', (dialect) => {
  let db: TestDb;
  let creator: User;

  beforeAll(async () => {
    db = await openTestDb(dialect);
    creator = await createUser(db.kysely, { role: 'creator', email: 'w@retry.cn', password: 'password1', name: 'w', handle: 'retry_w' });
    // 100 yuan settled for the creator, as a settlement run would leave it.
    await appendTransactions(db.kysely, [{ id: 'settled-for-retry', kind: 'commission_moved', at: iso(T0), postings: [{ account: 'source:src_x:receivable', currency: 'CNY', amountMinor: -10_000 }, { account: `creator:${creator.id}:settled`, currency: 'CNY', amountMinor: 10_000 }] }], iso(T0));
  });
  afterAll(() => db.close());

  it('answers the retry with the first withdrawal, and takes the money once', async () => {
    const request = { amountMinor: 6_000, payeeName: '王', payeeAccount: 'alipay:wang', idempotencyKey: 'key-1' };
    let first: { id: string };
    let second: { id: string };
    if (dialect === 'sqlite') {
      first = await requestWithdrawal(db.kysely, creator, request, new Date(T0 + 1000));
      second = await requestWithdrawal(db.kysely, creator, request, new Date(T0 + 1000));
    } else {
      [first, second] = await whileHeld(
        db,
        async (tx, meanwhile) => {
          const made = await requestWithdrawal(tx, creator, request, new Date(T0 + 1000));
          await meanwhile();
          return made;
        },
        () => requestWithdrawal(db.kysely, creator, request, new Date(T0 + 1000)),
      );
    }
    expect(second.id).toBe(first.id);
    expect(await db.kysely.selectFrom('withdrawals').select('id').execute()).toHaveLength(1);
    expect(await earningsOf(db.kysely, { kind: 'creator', id: creator.id }, 'CNY')).toMatchObject({ settled: 10_000, available: 4_000 });
    expect(await balanceDrift(db.kysely)).toEqual([]);
  });
});
