import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMinor } from '../../core/money.ts';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import { createUser } from '../accounts/service.ts';
import { recordPastClicks } from '../links/service.ts';
import { seedSource } from '../links/testing.ts';
import type { OrderEvent } from '../orders/model.ts';
import { ingestOrderEvents } from '../orders/service.ts';
import { recordPastMembership, registerOrganisation } from '../orgs/service.ts';
import type { User } from '../accounts/model.ts';
import { earningsOf, statementCsv, statementsOf } from './service.ts';
import { settle } from './settlement.ts';
import { balanceDrift, unbalancedTransactions } from './store.ts';

const T0 = Date.parse('2026-10-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
/** Between the order's payment (T0 + 1h) and its shipping (T0 + 2h): the creator joins an MCN and gets a targeted plan. */
const TERMS_CHANGE = T0 + 90 * 60_000;

/**
 * A commission's terms are those in force when its order was paid. When the "paid" event comes
 * after a later one, the line was booked at the later instant; once the payment is known, the line
 * is put on the terms of the earlier instant, wherever it stands, and ends where the same events
 * in true time order end.
 */
describe.each(DIALECTS)('a payment that arrives after its order moved on, on %s', (dialect) => {
  let db: TestDb;
  let sourceId: string;
  const ids = { creator: '', org: '' };
  const users: { creator?: User; orgAdmin?: User } = {};
  const event = (orderId: string, status: OrderEvent['status'], atMs: number): OrderEvent => ({
    orderId, status, occurredAt: iso(atMs), currency: 'CNY', clickId: 'clk_reterm', subId: null, lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 20_000, refundedAmountMinor: 0, commissionRateBps: 1000 }],
  });
  const ingest = (events: OrderEvent[], nowMs: number) => ingestOrderEvents(db.kysely, sourceId, events.map((e) => ({ event: e })), { via: 'webhook', now: new Date(nowMs) });
  const lineOf = (orderId: string) =>
    db.kysely
      .selectFrom('commissions')
      .innerJoin('orders', 'orders.id', 'commissions.order_id')
      .select(['commissions.status', 'commissions.rate_bps', 'commissions.plan_kind', 'commissions.organisation_id', 'commissions.paid_at', 'commissions.creator_amount_minor', 'commissions.organisation_amount_minor', 'orders.paid_at as order_paid_at'])
      .where('orders.source_order_id', '=', orderId)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    db = await openTestDb(dialect);
    const q = db.kysely;
    const creator = await createUser(q, { role: 'creator', email: 'r@reterm.cn', password: 'password1', name: 'r', handle: 'reterm_r' });
    const admin = await createUser(q, { role: 'org', email: 'o@reterm.cn', password: 'password1', name: 'o' });
    const org = await registerOrganisation(q, admin, 'R MCN');
    await recordPastMembership(q, { organisationId: org.id, creatorId: creator.id, shareBps: 2000, startsAt: iso(TERMS_CHANGE) });
    const seeded = await seedSource(q, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }]);
    await q
      .insertInto('targeted_plans')
      .values({ id: 'tplan_reterm', product_id: seeded.productIds.P1!, target_kind: 'creator', target_id: creator.id, rate_bps: 3000, status: 'approved', starts_at: iso(TERMS_CHANGE), ends_at: null, note: null, requested_by: creator.id, decided_by: null, decided_at: iso(TERMS_CHANGE), created_at: iso(TERMS_CHANGE) })
      .execute();
    await recordPastClicks(q, [{ id: 'clk_reterm', link_code: 'code1', creator_id: creator.id, product_id: seeded.productIds.P1!, source_id: seeded.sourceId, channel: 'showcase', clicked_at: iso(T0), ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 }]);
    Object.assign(ids, { creator: creator.id, org: org.id });
    Object.assign(users, { creator, orgAdmin: admin });
    sourceId = seeded.sourceId;
  });
  afterAll(() => db.close());

  it('puts an open line on the terms of the earlier instant: rate, plan, organisation and paid_at', async () => {
    // In true order: booked at the payment, on the open plan, before the creator joined the MCN.
    await ingest([event('TRUE', 'paid', T0 + HOUR), event('TRUE', 'shipped', T0 + 2 * HOUR)], T0 + 3 * HOUR);
    // Shipping first: booked at T0 + 2h, on the targeted plan with the MCN's share ...
    await ingest([event('LATE', 'shipped', T0 + 2 * HOUR)], T0 + 3 * HOUR);
    expect(await lineOf('LATE')).toMatchObject({ status: 'estimated', rate_bps: 3000, plan_kind: 'targeted', organisation_id: ids.org, paid_at: iso(T0 + 2 * HOUR) });
    // ... then the payment comes.
    await ingest([event('LATE', 'paid', T0 + HOUR)], T0 + 4 * HOUR);
    const late = await lineOf('LATE');
    const truth = await lineOf('TRUE');
    expect(late).toMatchObject({ status: 'estimated', rate_bps: 1000, plan_kind: 'open', organisation_id: null, paid_at: iso(T0 + HOUR), order_paid_at: iso(T0 + HOUR) });
    expect([late.creator_amount_minor, late.organisation_amount_minor].map(Number)).toEqual([truth.creator_amount_minor, truth.organisation_amount_minor].map(Number));
    expect(await earningsOf(db.kysely, { kind: 'creator', id: ids.creator }, 'CNY')).toMatchObject({ estimated: 2 * Number(truth.creator_amount_minor) });
    expect(await earningsOf(db.kysely, { kind: 'org', id: ids.org }, 'CNY')).toMatchObject({ estimated: 0 });
    // The same payment again changes nothing.
    const transactions = Number((await db.kysely.selectFrom('ledger_transactions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    await ingest([event('LATE', 'paid', T0 + HOUR)], T0 + 5 * HOUR);
    expect(Number((await db.kysely.selectFrom('ledger_transactions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(transactions);
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  });

  it('adjusts a line settled on the later terms through the next settlement, like a claw-back', async () => {
    await ingest([event('SETTLED', 'shipped', T0 + 2 * HOUR), event('SETTLED', 'completed', T0 + 3 * HOUR)], T0 + DAY);
    const booked = await lineOf('SETTLED');
    expect(booked).toMatchObject({ rate_bps: 3000, organisation_id: ids.org });
    const first = await settle(db.kysely, { asOf: new Date(T0 + 20 * DAY) });
    expect(first.lines).toBe(1);

    await ingest([event('SETTLED', 'paid', T0 + HOUR)], T0 + 21 * DAY);
    const retermed = await lineOf('SETTLED');
    expect(retermed).toMatchObject({ status: 'settled', rate_bps: 1000, plan_kind: 'open', organisation_id: null, paid_at: iso(T0 + HOUR) });
    const creatorShift = Number(retermed.creator_amount_minor) - Number(booked.creator_amount_minor);
    expect(creatorShift).toBeLessThan(0);

    // The first run's statements still show the line as it was settled: on the targeted rate,
    // with the MCN's share, and their lines add up to what they paid.
    for (const [user, share] of [[users.creator!, booked.creator_amount_minor], [users.orgAdmin!, booked.organisation_amount_minor]] as const) {
      const [statement] = await statementsOf(db.kysely, user, { settlementId: first.settlement_id });
      expect(statement).toMatchObject({ lines: 1, settledMinor: Number(share) });
      const rows = (await statementCsv(db.kysely, user, statement!.id)).csv.trim().split('\r\n').map((l) => l.split(','));
      expect(rows.slice(1, -3).map((r) => [r[0], r[3], r[6], r[8]])).toEqual([['SETTLED', iso(T0 + 2 * HOUR), '30.00%', formatMinor(Number(share))]]);
      expect(rows.at(-3)).toEqual(['settled', '', '', '', '', '', '', '', formatMinor(Number(share)), 'CNY', '']);
    }

    const second = await settle(db.kysely, { asOf: new Date(T0 + 30 * DAY) });
    expect(second.lines).toBe(0);
    const statements = await db.kysely.selectFrom('statements').select(['party_kind', 'party_id', 'clawed_back_minor']).where('settlement_id', '=', second.settlement_id).execute();
    expect(new Map(statements.map((s) => [s.party_kind, Number(s.clawed_back_minor)]))).toEqual(new Map([['creator', creatorShift], ['org', -Number(booked.organisation_amount_minor)]]));
    const creator = await earningsOf(db.kysely, { kind: 'creator', id: ids.creator }, 'CNY');
    // Only this line is settled: the creator holds its share on the open terms, the MCN nothing.
    expect(creator.settled).toBe(Number(retermed.creator_amount_minor));
    expect(await earningsOf(db.kysely, { kind: 'org', id: ids.org }, 'CNY')).toMatchObject({ settled: 0, estimated: 0, confirmed: 0, settleable: 0 });
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  });

  it('keeps no record of a settled line whose completion alone moved: what it pays did not change', async () => {
    await ingest([event('MOVED', 'paid', T0 + HOUR), event('MOVED', 'completed', T0 + 3 * HOUR)], T0 + DAY);
    const run = await settle(db.kysely, { asOf: new Date(T0 + 20 * DAY) });
    expect(run.lines).toBe(1);
    await ingest([event('MOVED', 'completed', T0 + 2 * HOUR)], T0 + 21 * DAY);
    const line = await db.kysely
      .selectFrom('commissions')
      .innerJoin('orders', 'orders.id', 'commissions.order_id')
      .select(['commissions.status', 'commissions.settleable_at', 'commissions.as_settled'])
      .where('orders.source_order_id', '=', 'MOVED')
      .executeTakeFirstOrThrow();
    expect(line).toEqual({ status: 'settled', settleable_at: iso(T0 + 2 * HOUR + 7 * DAY), as_settled: null });
  });
});
