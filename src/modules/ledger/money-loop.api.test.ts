import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, holdTransaction } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { seedSource } from '../links/testing.ts';
import { recordPastMembership, registerOrganisation } from '../orgs/service.ts';
import { eventRecordOf, storedEventsOf } from '../orders/event-record.ts';
import { balanceDrift, unbalancedTransactions } from './store.ts';

const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40';
const DAY = 86_400_000;

/** The whole loop over HTTP: a click, a signed paid order, completion, settlement, a withdrawal paid in a batch, a refund clawed back. */
describe.each(DIALECTS)('the money loop over HTTP on %s', (dialect) => {
  let s: TestServer;
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let secret = '';
  let clickId = '';
  let deliveries = 0;

  const signedPost = async (body: unknown, options: { id?: string; secretOverride?: string } = {}) => {
    const id = options.id ?? `msg_${++deliveries}`;
    const payload = JSON.stringify(body);
    const timestamp = new Date();
    const signature = new Webhook(options.secretOverride ?? secret).sign(id, timestamp, payload);
    return s.call('POST', `/api/webhooks/sources/${ids.source}/orders`, {
      body: payload,
      headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature },
    });
  };
  const orderEvent = (status: string, atMs: number, refunded = 0) => ({
    type: 'order.updated',
    data: { order_id: 'JD-9001', status, occurred_at: new Date(atMs).toISOString(), currency: 'CNY', click_id: clickId, lines: [{ line_id: '1', product_id: 'P1', quantity: 1, paid_amount: 1990, refunded_amount: refunded }] },
  });
  const summary = async () => (await s.call('GET', '/api/earnings/summary', { token: t.creator })).body;

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const db = s.db.kysely;
    for (const [key, role] of [['operator', 'operator'], ['creator', 'creator'], ['org', 'org']] as const) {
      const user = await createUser(db, { role, email: `${key}@loop.cn`, password: 'password1', name: key, handle: role === 'creator' ? 'loop_creator' : null });
      ids[key] = user.id;
      if (role === 'org') ids.organisation = (await registerOrganisation(db, user, 'Loop MCN')).id;
      t[key] = await s.login(`${key}@loop.cn`, 'password1');
    }
    await recordPastMembership(db, { organisationId: ids.organisation!, creatorId: ids.creator!, shareBps: 1000, startsAt: new Date(Date.now() - 30 * DAY).toISOString() });
    const seeded = await seedSource(db, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }]);
    ids.source = seeded.sourceId;
    secret = (await db.selectFrom('sources').select('webhook_secret').where('id', '=', seeded.sourceId).executeTakeFirstOrThrow()).webhook_secret;
    const item = await s.call('POST', '/api/showcase/items', { token: t.creator, body: { product_id: seeded.productIds.P1 } });
    const redirect = await fetch(`${s.url}${item.body.link.url}`, { redirect: 'manual', headers: { 'user-agent': PHONE } });
    clickId = /(clk_[0-9a-z]+)/.exec(decodeURIComponent(redirect.headers.get('location')!))![1]!;
  });
  afterAll(() => s.close());

  it('refuses a delivery with a bad signature and changes nothing', async () => {
    const r = await signedPost(orderEvent('paid', Date.now()), { secretOverride: `whsec_${Buffer.from('not the secret at all!!').toString('base64')}` });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('webhook_signature_invalid');
    expect((await s.call('GET', '/api/orders', { token: t.operator })).body.items).toEqual([]);
  });

  it("checks a delivery's signature while another delivery's transaction holds the database, refusing a forged one without waiting for it", async () => {
    const release = await holdTransaction(s.db.kysely, (tx) => tx.insertInto('settings').values({ key: 'held_by_a_delivery', value: '1' }).execute());
    try {
      // The source's secret is read from the last commit (Db.reads): the check need not wait, nor
      // the next delivery's verification for the one before to commit.
      const forged = signedPost(orderEvent('paid', Date.now()), { secretOverride: `whsec_${Buffer.from('not the secret at all!!').toString('base64')}` });
      const r = await Promise.race([forged, new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5_000))]);
      expect(r).not.toBe('waited');
      expect((r as Awaited<typeof forged>).status).toBe(401);
    } finally {
      await release();
    }
  });

  it('books the estimated commission of a signed paid order that carries the click id', async () => {
    const r = await signedPost(orderEvent('paid', Date.now()), { id: 'msg_paid' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ received: 1, applied: 1, duplicate_delivery: false });
    const again = await signedPost(orderEvent('paid', Date.now()), { id: 'msg_paid' });
    expect(again.body).toMatchObject({ duplicate_delivery: true, applied: 0 });
    expect(await summary()).toEqual({ currency: 'CNY', estimated: 161, confirmed: 0, settleable: 0, settled: 0, available: 0, paid_out: 0 });
    const orders = (await s.call('GET', '/api/orders', { token: t.creator })).body.items;
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ source_order_id: 'JD-9001', status: 'paid', attribution: 'click', commission: 161, click_id: clickId });
    const orgView = (await s.call('GET', '/api/orders', { token: t.org })).body.items;
    expect(orgView[0]).toMatchObject({ commission: 18 });
  });

  it('shows the operator the order’s history of events', async () => {
    const [order] = (await s.call('GET', '/api/orders', { token: t.operator })).body.items;
    const detail = await s.call('GET', `/api/orders/${order.id}`, { token: t.operator });
    expect(detail.body.history.map((e: { status: string; via: string }) => [e.status, e.via])).toEqual([['paid', 'webhook']]);
    const asCreator = await s.call('GET', `/api/orders/${order.id}`, { token: t.creator });
    expect(asCreator.body.history).toEqual([]);
  });

  it('confirms on completion and settles once the return window has passed', async () => {
    await signedPost(orderEvent('completed', Date.now() + 1000));
    expect(await summary()).toMatchObject({ estimated: 0, confirmed: 161 });
    const early = await s.call('POST', '/api/settlements', { token: t.operator, body: { as_of: new Date(Date.now() + DAY).toISOString() } });
    expect(early.body).toMatchObject({ lines: 0 });
    const run = await s.call('POST', '/api/settlements', { token: t.operator, body: { as_of: new Date(Date.now() + 8 * DAY).toISOString() } });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ lines: 1, statements: 2, settled_minor: { CNY: 199 - 20 } });
    expect(await summary()).toMatchObject({ confirmed: 0, settled: 161, available: 161 });
    const statements = (await s.call('GET', '/api/statements', { token: t.creator })).body.items;
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ settled: 161, clawed_back: 0, net: 161, lines: 1 });
    const csv = await s.call('GET', `/api/statements/${statements[0].id}/csv`, { token: t.creator });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.body).toContain('JD-9001,1,商品 P1');
    expect(csv.body).toContain('net,,,,,,,,1.61,CNY');
    const lines = await s.call('GET', `/api/statements/${statements[0].id}/lines`, { token: t.creator });
    expect(lines.body.statement).toMatchObject({ id: statements[0].id, settled: 161 });
    expect(lines.body.items).toEqual([expect.objectContaining({ source_order_id: 'JD-9001', line_id: '1', paid_amount: 1990, refunded_amount: 0, rate_bps: 1000, commission: 199, share: 161, changed_since: false })]);
    // The MCN has a statement of its own, not lin's: its share of her line, named hers.
    expect((await s.call('GET', `/api/statements/${statements[0].id}/lines`, { token: t.org })).status).toBe(404);
    const mcn = (await s.call('GET', '/api/statements', { token: t.org })).body.items;
    const mcnLines = (await s.call('GET', `/api/statements/${mcn[0].id}/lines`, { token: t.org })).body.items;
    expect(mcnLines).toEqual([expect.objectContaining({ source_order_id: 'JD-9001', commission: 199, share: 18, creator: { id: ids.creator, name: 'creator' } })]);
  });

  it('pays a withdrawal through a payout batch, once per idempotency key', async () => {
    const tooSmall = await s.call('POST', '/api/withdrawals', { token: t.creator, body: { amount: 150, payee_name: '林', payee_account: 'lin@alipay' } });
    expect(tooSmall.status).toBe(422);
    expect(tooSmall.body.error).toMatchObject({ code: 'below_minimum', details: { minimum: 1000, available: 161, currency: 'CNY' } });
    await s.call('PUT', '/api/settings/ledger', { token: t.operator, body: { withdrawal_minimum_minor: 100 } });
    const headers = { 'idempotency-key': 'withdraw-1' };
    const first = await s.call('POST', '/api/withdrawals', { token: t.creator, body: { amount: 150, payee_name: '林', payee_account: 'lin@alipay' }, headers });
    const second = await s.call('POST', '/api/withdrawals', { token: t.creator, body: { amount: 150, payee_name: '林', payee_account: 'lin@alipay' }, headers });
    expect(first.status).toBe(201);
    expect(first.body.party).toEqual({ kind: 'creator', id: ids.creator, name: 'creator' });
    expect(second.body.id).toBe(first.body.id);
    expect(await summary()).toMatchObject({ settled: 161, available: 11, paid_out: 0 });
    const tooMuch = await s.call('POST', '/api/withdrawals', { token: t.creator, body: { amount: 200, payee_name: '林', payee_account: 'lin@alipay' } });
    expect(tooMuch.body.error.code).toBe('insufficient_funds');

    const batch = await s.call('POST', '/api/payout-batches', { token: t.operator });
    expect(batch.body).toMatchObject({ withdrawals: 1 });
    const csv = await s.call('GET', `/api/payout-batches/${batch.body.id}/csv`, { token: t.operator });
    expect(csv.body.split('\r\n')[1]).toBe(`${first.body.id},林,lin@alipay,1.50,CNY,creator:${ids.creator},${first.body.requested_at}`);
    const paid = await s.call('POST', `/api/withdrawals/${first.body.id}/paid`, { token: t.operator });
    expect(paid.body.status).toBe('paid');
    const twice = await s.call('POST', `/api/withdrawals/${first.body.id}/paid`, { token: t.operator });
    expect(twice.status).toBe(422);
    expect(await summary()).toMatchObject({ available: 11, paid_out: 150 });
    const batches = (await s.call('GET', '/api/payout-batches', { token: t.operator })).body.items;
    expect(batches[0]).toMatchObject({ status: 'closed', paid: 1, amount: 150, currency: 'CNY' });
  });

  it('claws back a refund after settlement against the next settlement, and shows the balance negative', async () => {
    await signedPost(orderEvent('refunded', Date.now() + 2000, 1990));
    expect(await summary()).toMatchObject({ settled: 0, available: -150, paid_out: 150 });
    const run = await s.call('POST', '/api/settlements', { token: t.operator, body: { as_of: new Date(Date.now() + 9 * DAY).toISOString() } });
    expect(run.body).toMatchObject({ lines: 0, clawed_back_minor: { CNY: -179 } });
    const statements = (await s.call('GET', '/api/statements', { token: t.creator })).body.items;
    expect(statements[0]).toMatchObject({ settled: 0, clawed_back: -161, net: -161 });
    // The first statement still shows the line as it was paid: nothing refunded, the creator's 1.61.
    const first = (await s.call('GET', `/api/statements/${statements[1].id}/csv`, { token: t.creator })).body.split('\r\n');
    expect(first[1]!.split(',').slice(4)).toEqual(['19.90', '0.00', '10.00%', '1.99', '1.61', 'CNY', 'creator']);
    expect(first[2]).toBe('settled,,,,,,,,1.61,CNY,');
    const lines = (await s.call('GET', `/api/statements/${statements[1].id}/lines`, { token: t.creator })).body.items;
    expect(lines).toEqual([expect.objectContaining({ refunded_amount: 0, commission: 199, share: 161, changed_since: true })]);
    expect(await unbalancedTransactions(s.db.kysely)).toEqual([]);
    expect(await balanceDrift(s.db.kysely)).toEqual([]);
  });

  it('keeps other roles out of the operator’s money routes', async () => {
    expect((await s.call('POST', '/api/settlements', { token: t.creator })).status).toBe(403);
    expect((await s.call('GET', '/api/payout-batches', { token: t.org })).status).toBe(403);
    expect((await s.call('GET', '/api/earnings/summary', { token: t.operator })).status).toBe(403);
  });
  it('takes a full delivery of 1,000 events (verified off the event loop) and refuses a forged one of the same size, changing nothing', async () => {
    const big = (prefix: string) => ({
      events: Array.from({ length: 1000 }, (_, i) => ({
        type: 'order.updated',
        data: { order_id: `${prefix}-${i}`, status: 'paid', occurred_at: new Date(Date.now() - 60_000).toISOString(), currency: 'CNY', lines: [{ line_id: '1', product_id: 'P1', quantity: 1, paid_amount: 990 + i, refunded_amount: 0 }] },
      })),
    });
    const bigOrders = async (prefix: string) => (await s.db.kysely.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('source_order_id', 'like', `${prefix}-%`).executeTakeFirstOrThrow()).n;
    const forged = await signedPost(big('FORGED'), { secretOverride: `whsec_${Buffer.from('not the secret at all!!').toString('base64')}` });
    expect([forged.status, forged.body.error.code]).toEqual([401, 'webhook_signature_invalid']);
    expect(Number(await bigOrders('FORGED'))).toBe(0);
    const taken = await signedPost(big('BIG'));
    expect(taken.status).toBe(200);
    expect(taken.body).toEqual({ received: 1000, applied: 1000, duplicate_delivery: false });
    expect(Number(await bigOrders('BIG'))).toBe(1000);
    // Each event row holds its own event: the records made in the worker went to the right events.
    const stored = await s.db.kysely.selectFrom('orders').select(['source_order_id', 'events']).where('source_order_id', 'like', 'BIG-%').execute();
    expect(stored).toHaveLength(1000);
    for (const row of stored) {
      const [only, ...more] = storedEventsOf(row.events);
      expect(more).toEqual([]);
      expect(only!.event.orderId).toBe(row.source_order_id);
      expect(only!.event.lines[0]!.paidAmountMinor).toBe(990 + Number(row.source_order_id.slice(4)));
      expect(only!.key).toBe(eventRecordOf(only!.event).key);
      expect(only).toMatchObject({ via: 'webhook', rawStatus: null });
    }
    expect(await unbalancedTransactions(s.db.kysely)).toEqual([]);
  });
});
