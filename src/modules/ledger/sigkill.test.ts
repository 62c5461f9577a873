import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVitrine, serveVitrine, startVitrine } from '../../cli/testing.ts';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import { createUser } from '../accounts/service.ts';
import { recordPastClicks } from '../links/service.ts';
import { seedSource } from '../links/testing.ts';
import { storedEventsOf } from '../orders/event-record.ts';
import { ingestOrderEvents } from '../orders/service.ts';
import { earningsOf } from './service.ts';
import { balanceDrift, unbalancedTransactions } from './store.ts';

const DELIVERIES = 30;
const EVENTS_PER_DELIVERY = 200;
const DAY = 86_400_000;

/** kill -9 in the middle of webhook batches and of a settlement run: after a restart and a re-run, nothing is lost or paid twice. */
describe.each(DIALECTS)('orders and settlement survive kill -9 on %s', (dialect) => {
  let db: TestDb;
  const ids: Record<string, string> = {};
  let secret = '';
  const paidAt = new Date(Date.now() - DAY).toISOString();

  const delivery = (d: number) => ({
    id: `msg_kill_${d}`,
    body: JSON.stringify({
      events: Array.from({ length: EVENTS_PER_DELIVERY }, (_, i) => ({
        type: 'order.updated',
        data: { order_id: `K-${d}-${i}`, status: 'paid', occurred_at: paidAt, currency: 'CNY', click_id: 'clk_kill', lines: [{ line_id: '1', product_id: 'P1', quantity: 1, paid_amount: 1990, refunded_amount: 0 }] },
      })),
    }),
  });
  const post = async (url: string, d: { id: string; body: string }) => {
    const now = new Date();
    const r = await fetch(`${url}/api/webhooks/sources/${ids.source}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': d.id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(d.id, now, d.body) },
      body: d.body,
    });
    return { status: r.status, body: (await r.json()) as { duplicate_delivery: boolean } };
  };

  beforeAll(async () => {
    db = await openTestDb(dialect);
    const q = db.kysely;
    const creator = await createUser(q, { role: 'creator', email: 'kill@ledger.cn', password: 'password1', name: 'k', handle: 'ledger_kill' });
    const seeded = await seedSource(q, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }]);
    Object.assign(ids, { creator: creator.id, source: seeded.sourceId });
    secret = (await q.selectFrom('sources').select('webhook_secret').where('id', '=', seeded.sourceId).executeTakeFirstOrThrow()).webhook_secret;
    await recordPastClicks(q, [{ id: 'clk_kill', link_code: 'c', creator_id: creator.id, product_id: seeded.productIds.P1!, source_id: seeded.sourceId, channel: 'showcase', clicked_at: new Date(Date.now() - 2 * DAY).toISOString(), ip_hash: 'h', ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0 }]);
  }, 60_000);
  afterAll(() => db.close());

  const expectSoundLedger = async () => {
    expect(await unbalancedTransactions(db.kysely)).toEqual([]);
    expect(await balanceDrift(db.kysely)).toEqual([]);
  };

  it('keeps every acknowledged webhook batch, and applies each event once when all are delivered again', async () => {
    const deliveries = Array.from({ length: DELIVERIES }, (_, d) => delivery(d));
    const first = await serveVitrine(db.url);
    const exited = new Promise((resolve) => first.child.on('exit', resolve));
    const acknowledged: string[] = [];
    let next = 0;
    const sender = async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++]!;
        try {
          if ((await post(first.url, d)).status === 200) acknowledged.push(d.id);
        } catch {
          return; // killed: this delivery's answer never came
        }
      }
    };
    const senders = [sender(), sender()];
    while (acknowledged.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill('SIGKILL');
    await Promise.all(senders);
    await exited;
    expect(acknowledged.length).toBeLessThan(DELIVERIES);

    for (const id of acknowledged) {
      const d = Number(id.split('_').pop());
      const stored = await db.kysely.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('source_order_id', 'like', `K-${d}-%`).executeTakeFirstOrThrow();
      expect({ id, stored: Number(stored.n) }).toEqual({ id, stored: EVENTS_PER_DELIVERY });
    }
    await expectSoundLedger();

    const second = await serveVitrine(db.url);
    try {
      for (const d of deliveries) {
        const r = await post(second.url, d);
        expect(r.status).toBe(200);
        if (acknowledged.includes(d.id)) expect(r.body.duplicate_delivery).toBe(true);
      }
    } finally {
      second.child.kill('SIGTERM');
    }
    const total = DELIVERIES * EVENTS_PER_DELIVERY;
    const count = async (table: 'orders' | 'commissions') => Number((await db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const events = (await db.kysely.selectFrom('orders').select('events').execute()).reduce((n, o) => n + storedEventsOf(o.events).length, 0);
    expect({ orders: await count('orders'), commissions: await count('commissions'), events }).toEqual({ orders: total, commissions: total, events: total });
    // 1990 x 10% = 199; the 10% fee is 20; no organisation: the creator gets 179 per order.
    expect((await earningsOf(db.kysely, { kind: 'creator', id: ids.creator! }, 'CNY')).estimated).toBe(total * 179);
    await expectSoundLedger();
  }, 120_000);

  it('settles each commission exactly once when a settlement run is killed and run again', async () => {
    const orders = await db.kysely.selectFrom('orders').select('source_order_id').execute();
    const completedAt = new Date(Date.now() - DAY / 2).toISOString();
    for (let i = 0; i < orders.length; i += 1000) {
      const events = orders.slice(i, i + 1000).map((o) => ({ event: { orderId: o.source_order_id, status: 'completed' as const, occurredAt: completedAt, currency: 'CNY', clickId: null, subId: null, lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 1990, refundedAmountMinor: 0 }] } }));
      await ingestOrderEvents(db.kysely, ids.source!, events, { via: 'import' });
    }
    const total = orders.length;
    expect((await earningsOf(db.kysely, { kind: 'creator', id: ids.creator! }, 'CNY')).confirmed).toBe(total * 179);

    const asOf = new Date(Date.now() + 8 * DAY).toISOString();
    const run = startVitrine(db.url, ['settle', '--as-of', asOf, '--batch-lines', '100']);
    const exited = new Promise((resolve) => run.on('exit', resolve));
    for (;;) {
      const progress = await db.kysely.selectFrom('settlement_runs').select('batches').executeTakeFirst();
      if (progress && progress.batches >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    run.kill('SIGKILL');
    await exited;
    const interrupted = await db.kysely.selectFrom('settlement_runs').selectAll().executeTakeFirstOrThrow();
    expect(interrupted.status).toBe('running');
    expect(interrupted.lines).toBeLessThan(total);
    await expectSoundLedger();

    const resumed = await runVitrine(db.url, ['settle', '--as-of', asOf]);
    expect(resumed).toMatchObject({ resumed: true, lines: total, settlement_id: interrupted.id });
    const again = await runVitrine(db.url, ['settle', '--as-of', asOf]);
    expect(again).toMatchObject({ resumed: false, lines: 0 });
    expect(await earningsOf(db.kysely, { kind: 'creator', id: ids.creator! }, 'CNY')).toMatchObject({ confirmed: 0, settleable: 0, settled: total * 179, available: total * 179 });
    const statements = await db.kysely.selectFrom('statements').selectAll().where('party_id', '=', ids.creator!).execute();
    expect(statements.map((s) => [s.lines, Number(s.net_minor)])).toEqual([[total, total * 179]]);
    await expectSoundLedger();
  }, 120_000);
});
