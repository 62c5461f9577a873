import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import type { User } from '../accounts/model.ts';
import { createUser } from '../accounts/service.ts';
import { recordPastClicks } from '../links/service.ts';
import { seedSource } from '../links/testing.ts';
import type { OrderEvent, OrderStatus } from '../orders/model.ts';
import { ingestOrderEvents } from '../orders/service.ts';
import { applyEvent, commissionStatusOf, compareEvents } from '../orders/state-machine.ts';
import { recordPastMembership, registerOrganisation } from '../orgs/service.ts';
import { accountOf, sharesOf, type Party } from './postings.ts';
import { DEFAULT_LEDGER_SETTINGS } from './settings.ts';
import { statementCsv, statementsOf } from './service.ts';
import { settle } from './settlement.ts';
import { parseDecimalToMinor } from '../sources/feeds/decimal.ts';
import { balanceDrift, balancesWithPrefix, unbalancedTransactions } from './store.ts';

const T0 = Date.parse('2026-10-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date(T0 + 3 * DAY);
const SETTLE_AS_OF = new Date(T0 + 30 * DAY);

/**
 * One order's true history: paid, maybe shipped and completed, refunds that only grow per line,
 * maybe a full refund or a cancellation at the end. Then one way it might arrive: shuffled, some
 * events twice, with settlement runs between deliveries.
 */
const timeline = fc
  .record({
    paid: fc.array(fc.constantFrom(990, 1990, 12_345, 7), { minLength: 1, maxLength: 3 }),
    shipped: fc.boolean(),
    completed: fc.boolean(),
    refundSteps: fc.array(fc.record({ line: fc.nat(2), share: fc.constantFrom(0.1, 0.5, 1) }), { maxLength: 3 }),
    ending: fc.constantFrom<'none' | 'refunded' | 'cancelled'>('none', 'none', 'refunded', 'cancelled'),
  })
  .map((t) => {
    const events: { status: OrderStatus; at: number; refunded: number[] }[] = [];
    const refunded = t.paid.map(() => 0);
    let at = T0;
    const push = (status: OrderStatus) => events.push({ status, at: (at += HOUR), refunded: [...refunded] });
    push('paid');
    if (t.shipped || t.completed) push('shipped');
    if (t.completed) push('completed');
    for (const step of t.refundSteps) {
      const i = step.line % t.paid.length;
      refunded[i] = Math.max(refunded[i]!, Math.floor(t.paid[i]! * step.share));
      push(t.completed ? 'completed' : 'paid');
    }
    if (t.ending !== 'none') push(t.ending);
    return { paid: t.paid, events };
  });

const arrivals = timeline.chain((t) =>
  fc.record({
    t: fc.constant(t),
    order: fc.shuffledSubarray([...t.events.keys(), ...t.events.keys()], { minLength: t.events.length }).filter((o) => t.events.every((_, i) => o.includes(i))),
    settleAfter: fc.array(fc.nat(8), { maxLength: 2 }),
  }),
);

describe.each(DIALECTS)('the ledger under random event orders on %s', (dialect) => {
  let db: TestDb;
  const ids: Record<string, string> = {};
  const users: User[] = [];
  let orderNo = 0;

  beforeAll(async () => {
    db = await openTestDb(dialect);
    const q = db.kysely;
    const creator = await createUser(q, { role: 'creator', email: 'p@ledger.cn', password: 'password1', name: 'p', handle: 'ledger_p' });
    const admin = await createUser(q, { role: 'org', email: 'o@ledger.cn', password: 'password1', name: 'o' });
    const org = await registerOrganisation(q, admin, 'P MCN');
    await recordPastMembership(q, { organisationId: org.id, creatorId: creator.id, shareBps: 1500, startsAt: new Date(T0 - 90 * DAY).toISOString() });
    const seeded = await seedSource(q, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }]);
    // From between an order's payment (T0 + 1h) and its next event (T0 + 2h) the creator has a
    // targeted plan at three times the rate: a line first seen at a later event is booked on it,
    // and must end on the open rate once the payment arrives (the oracle knows only that rate).
    const termsChange = new Date(T0 + 90 * 60_000).toISOString();
    await q
      .insertInto('targeted_plans')
      .values({ id: 'tplan_prop', product_id: seeded.productIds.P1!, target_kind: 'creator', target_id: creator.id, rate_bps: 3000, status: 'approved', starts_at: termsChange, ends_at: null, note: null, requested_by: creator.id, decided_by: null, decided_at: termsChange, created_at: termsChange })
      .execute();
    Object.assign(ids, { creator: creator.id, org: org.id, source: seeded.sourceId });
    users.push(creator, admin);
    await recordPastClicks(q, [{ id: 'clk_prop', link_code: 'c', creator_id: creator.id, product_id: seeded.productIds.P1!, source_id: seeded.sourceId, channel: 'showcase', clicked_at: new Date(T0 - HOUR).toISOString(), ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 }]);
  });
  afterAll(() => db.close());

  const partyTotal = async (party: Party) => {
    const balances = await balancesWithPrefix(db.kysely, `${party.kind}:${party.id}:`, 'CNY');
    return (['estimated', 'confirmed', 'settleable', 'settled'] as const).reduce((a, b) => a + (balances.get(accountOf(party, b)) ?? 0), 0);
  };

  /** Each statement of these runs lists its lines as they were settled: their shares add up to what it settled. */
  const statementsAddUp = async (settlementIds: readonly string[]) => {
    for (const settlementId of settlementIds) {
      for (const user of users) {
        for (const statement of await statementsOf(db.kysely, user, { settlementId })) {
          const rows = (await statementCsv(db.kysely, user, statement.id)).csv.trim().split('\r\n').slice(1, -3);
          const shares = rows.map((r) => parseDecimalToMinor(r.split(',')[8]!, 'your_share'));
          expect({ lines: rows.length, settled: shares.reduce((a, b) => a + b, 0) }).toEqual({ lines: statement.lines, settled: statement.settledMinor });
        }
      }
    }
  };

  it('keeps every transaction balanced, cached balances equal to postings, and ends where a replay in true time order ends', async () => {
    await fc.assert(
      fc.asyncProperty(arrivals, async ({ t, order, settleAfter }) => {
        const orderId = `PROP-${++orderNo}`;
        const events: OrderEvent[] = t.events.map((e) => ({
          orderId,
          status: e.status,
          occurredAt: new Date(e.at).toISOString(),
          currency: 'CNY',
          clickId: 'clk_prop',
          subId: null,
          lines: t.paid.map((paid, i) => ({ lineId: String(i + 1), productId: 'P1', quantity: 1, paidAmountMinor: paid, refundedAmountMinor: e.refunded[i]! })),
        }));
        const creator: Party = { kind: 'creator', id: ids.creator! };
        const org: Party = { kind: 'org', id: ids.org! };
        const before = { creator: await partyTotal(creator), org: await partyTotal(org) };
        const runs: string[] = [];
        for (const [n, index] of order.entries()) {
          await ingestOrderEvents(db.kysely, ids.source!, [{ event: events[index]! }], { via: 'webhook', now: NOW, settings: DEFAULT_LEDGER_SETTINGS });
          if (settleAfter.includes(n)) runs.push((await settle(db.kysely, { asOf: SETTLE_AS_OF })).settlement_id);
        }

        // The oracle: the same events once each, in true time order, and the commission they imply.
        let state = null as ReturnType<typeof applyEvent>['state'] | null;
        for (const e of [...events].sort(compareEvents)) state = applyEvent(state, e).state;
        const status = commissionStatusOf(state!, NOW, DEFAULT_LEDGER_SETTINGS.return_window_days);
        const expected = { creator: 0, org: 0 };
        for (const line of state!.lines) {
          if (status === 'reversed' || status === null) continue;
          const shares = sharesOf({ id: 'x', sourceId: ids.source!, currency: 'CNY', creatorId: ids.creator!, paidAmountMinor: line.paidAmountMinor, rateBps: 1000, platformFeeBps: 1000, organisation: { organisationId: ids.org!, shareBps: 1500 } }, line.refundedAmountMinor);
          expected.creator += shares.find((s) => s.party.kind === 'creator')!.amountMinor;
          expected.org += shares.find((s) => s.party.kind === 'org')!.amountMinor;
        }

        const row = await db.kysely.selectFrom('orders').selectAll().where('source_order_id', '=', orderId).executeTakeFirstOrThrow();
        expect(row.status).toBe(state!.status);
        expect((await partyTotal(creator)) - before.creator).toBe(expected.creator);
        expect((await partyTotal(org)) - before.org).toBe(expected.org);
        const commissions = await db.kysely.selectFrom('commissions').select(['status', 'creator_amount_minor']).where('order_id', '=', row.id).execute();
        expect(commissions.reduce((a, c) => a + Number(c.creator_amount_minor), 0)).toBe(expected.creator);
        if (settleAfter.length === 0 && status !== null && status !== 'reversed') {
          for (const c of commissions) expect(['reversed', status]).toContain(c.status);
        }
        await statementsAddUp(runs);
        expect(await unbalancedTransactions(db.kysely)).toEqual([]);
        expect(await balanceDrift(db.kysely)).toEqual([]);
      }),
      { numRuns: dialect === 'sqlite' ? 60 : 20 },
    );
  }, 120_000);
});
