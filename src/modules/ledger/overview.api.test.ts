import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { refuseSettling, seedLines } from './testing.ts';
import { seedSource } from '../links/testing.ts';
import { ingestOrderEvents } from '../orders/service.ts';

const HOUR = 3_600_000;

/** The operator's home: what waits on it and the platform's fee, read off the same tables the pages list. */
describe.each(DIALECTS)('GET /api/operator/overview on %s', (dialect) => {
  let s: TestServer;
  const t: Record<string, string> = {};
  let creatorId = '';
  let sourceId = '';
  const overview = async () => (await s.call('GET', '/api/operator/overview', { token: t.operator })).body;
  const paid = (orderId: string, subId: string | null) => ({
    event: { orderId, status: 'paid' as const, occurredAt: new Date(Date.now() - HOUR).toISOString(), currency: 'CNY', clickId: null, subId, lines: [{ lineId: '1', productId: 'P1', quantity: 1, paidAmountMinor: 10_000, refundedAmountMinor: 0 }] },
  });

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const db = s.db.kysely;
    await createUser(db, { role: 'operator', email: 'op@overview.cn', password: 'password1', name: 'op' });
    creatorId = (await createUser(db, { role: 'creator', email: 'c@overview.cn', password: 'password1', name: 'c', handle: 'overview_c' })).id;
    t.operator = await s.login('op@overview.cn', 'password1');
    t.creator = await s.login('c@overview.cn', 'password1');
    sourceId = (await seedSource(db, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }])).sourceId;
    await db.insertInto('positions').values({ sub_id: 'pos_overview', creator_id: creatorId, source_id: null, label: null, created_at: new Date(Date.now() - 2 * HOUR).toISOString() }).execute();
  });
  afterAll(() => s.close());

  it('is the operator’s only', async () => {
    const r = await s.call('GET', '/api/operator/overview', { token: t.creator });
    expect(r.status).toBe(403);
    expect((await s.call('GET', '/api/operator/overview')).status).toBe(401);
  });

  it('starts empty, with the next monthly settlement ahead', async () => {
    const o = await overview();
    expect(o).toMatchObject({ currency: 'CNY', platform_fee: { estimated: 0, confirmed: 0, settleable: 0, settled: 0 }, unattributed_orders: 0, withdrawals_requested: { count: 0, amount: 0 }, open_payout_batches: 0, last_settlement: null });
    expect(Date.parse(o.next_settlement_at)).toBeGreaterThan(Date.now());
  });

  it('counts the orders no rule could credit, and the platform’s part of those it could', async () => {
    const db = s.db.kysely;
    await ingestOrderEvents(db, sourceId, [paid('LOST-1', null), paid('LOST-2', 'pos_unknown'), paid('FOUND-1', 'pos_overview')], { via: 'webhook' });
    const o = await overview();
    expect(o.unattributed_orders).toBe(2);
    // The platform's fee is what the commission leaves after the creator's share (no organisation, no colonel here).
    const [order] = (await s.call('GET', '/api/orders?attribution=attributed', { token: t.operator })).body.items;
    const creator = (await s.call('GET', '/api/earnings/summary', { token: t.creator })).body;
    expect(order.commission).toBeGreaterThan(0);
    expect(o.platform_fee.estimated).toBe(order.commission - creator.estimated);
    expect(o.platform_fee.estimated).toBeGreaterThan(0);
    expect(await s.call('GET', '/api/orders?attribution=unattributed', { token: t.operator }).then((r) => r.body.items.length)).toBe(o.unattributed_orders);
  });

  it('counts withdrawals waiting for a batch and the batches still open, and names the last settlement run', async () => {
    const db = s.db.kysely;
    const withdrawal = (id: string, amount: number, status: 'requested' | 'in_batch' | 'paid', currency = 'CNY') => ({
      id, party_kind: 'creator' as const, party_id: creatorId, requested_by: creatorId, currency, amount_minor: amount, payee_name: 'c', payee_account: '6222', status, batch_id: null, idempotency_key: null, failure_reason: null, requested_at: new Date().toISOString(), decided_at: null,
    });
    await db.insertInto('withdrawals').values([withdrawal('wd_1', 1_500, 'requested'), withdrawal('wd_2', 2_250, 'requested'), withdrawal('wd_3', 9_999, 'paid'), withdrawal('wd_4', 700, 'requested', 'USD')]).execute();
    await db.insertInto('payout_batches').values([{ id: 'pb_1', status: 'open', created_by: creatorId, created_at: new Date().toISOString(), closed_at: null }, { id: 'pb_2', status: 'closed', created_by: creatorId, created_at: new Date().toISOString(), closed_at: new Date().toISOString() }]).execute();
    const run = (await s.call('POST', '/api/settlements', { token: t.operator, body: {} })).body;
    const o = await overview();
    expect(o.withdrawals_requested).toEqual({ count: 2, amount: 3_750 });
    expect(o.open_payout_batches).toBe(1);
    expect(o.last_settlement).toMatchObject({ id: run.settlement_id, status: 'completed' });
    expect((await s.call('GET', '/api/operator/overview?currency=USD', { token: t.operator })).body.withdrawals_requested).toEqual({ count: 1, amount: 700 });
  });

  it('names a run that stopped, with why, until the next run resumes it', async () => {
    await seedLines(s.db);
    const allow = await refuseSettling(s.db);
    const failed = await s.call('POST', '/api/settlements', { token: t.operator, body: {} });
    expect(failed.status).toBe(500);
    const stopped = (await overview()).last_settlement;
    expect(failed.body.error).toMatchObject({ code: 'settlement_stopped', details: { settlement_id: stopped.id, lines: 0 } });
    expect(failed.body.error.message).toMatch(/^the settlement run stopped after 0 lines: .*refused for the test.*; run it again to resume where it stopped$/);
    expect(stopped).toMatchObject({ status: 'running', finished_at: null, active: false });
    expect(stopped.error).toMatch(/refused for the test/);
    await allow();
    const resumed = (await s.call('POST', '/api/settlements', { token: t.operator, body: {} })).body;
    expect(resumed).toMatchObject({ settlement_id: stopped.id, resumed: true, lines: 36 });
    expect((await overview()).last_settlement).toMatchObject({ id: stopped.id, status: 'completed', error: null, active: false });
  });
});
