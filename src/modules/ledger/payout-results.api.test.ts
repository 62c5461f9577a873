import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { appendTransactions, balanceDrift, unbalancedTransactions } from './store.ts';

const CSV = { 'content-type': 'text/csv' };

/** A payout batch's outcomes recorded from the bank's result file: good rows taken, bad ones reported, the same file twice harmless. */
describe.each(DIALECTS)('POST /api/payout-batches/:id/results on %s', (dialect) => {
  let s: TestServer;
  let operator = '';
  const creators: { id: string; token: string; withdrawal: string }[] = [];
  let batch = '';

  const summary = async (token: string) => (await s.call('GET', '/api/earnings/summary', { token })).body;
  const send = (text: string, batchId = batch, token = operator) => s.call('POST', `/api/payout-batches/${batchId}/results`, { token, body: text, headers: CSV });
  const statuses = async () => Object.fromEntries((await s.db.kysely.selectFrom('withdrawals').select(['id', 'status', 'failure_reason']).execute()).map((w) => [w.id, [w.status, w.failure_reason]]));

  beforeEach(async () => {
    s = await startTestServer(dialect);
    creators.length = 0;
    await createUser(s.db.kysely, { role: 'operator', email: 'op@results.cn', password: 'password1', name: 'op' });
    operator = await s.login('op@results.cn', 'password1');
    await s.call('PUT', '/api/settings/ledger', { token: operator, body: { withdrawal_minimum_minor: 100 } });
    const at = new Date().toISOString();
    for (const n of [1, 2, 3]) {
      const user = await createUser(s.db.kysely, { role: 'creator', email: `c${n}@results.cn`, password: 'password1', name: `c${n}`, handle: `results_c${n}` });
      // Settled commission to draw on, as a settlement run would leave it.
      await appendTransactions(s.db.kysely, [{ id: `seed:${user.id}`, kind: 'commission_moved', at, postings: [{ account: 'source:src_x:receivable', currency: 'CNY', amountMinor: -10_000 }, { account: `creator:${user.id}:settled`, currency: 'CNY', amountMinor: 10_000 }] }], at);
      const token = await s.login(`c${n}@results.cn`, 'password1');
      const asked = await s.call('POST', '/api/withdrawals', { token, body: { amount: 1000 * n, payee_name: `c${n}`, payee_account: `c${n}@alipay` } });
      expect(asked.status).toBe(201);
      creators.push({ id: user.id, token, withdrawal: asked.body.id });
    }
    batch = (await s.call('POST', '/api/payout-batches', { token: operator })).body.id;
  });
  afterEach(async () => s?.close());

  it('records the good rows, reports each bad one with its row, and leaves the rest of the batch open', async () => {
    const [one, two, three] = creators;
    const file = [
      'reference,outcome,reason,amount',
      `${one!.withdrawal},paid,,10.00`,
      `${two!.withdrawal},失败,"账户已冻结, 请更换",20.00`,
      'wd_nope,paid,,1.00', // not a line of this batch
      `${three!.withdrawal},maybe,,30.00`, // an outcome we cannot read
      `${three!.withdrawal},failed,,30.00`, // a failure without its reason
      `${one!.withdrawal},failed,late refusal,10.00`, // the other outcome for a line already given one
      `${one!.withdrawal},paid,,10.00`, // the same line again, the same outcome: once is enough
      `,paid,,`, // no reference
      `${three!.withdrawal},paid,,30.00,extra`, // a stray field shifts the columns
    ].join('\r\n');
    const answer = await send(file);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ paid: 1, failed: 1, unchanged: 0 });
    expect(answer.body.rejected.map((r: { row: number; code: string }) => [r.row, r.code])).toEqual([
      [3, 'not_in_batch'],
      [4, 'invalid_outcome'],
      [5, 'reason_required'],
      [6, 'conflicting_rows'],
      [8, 'missing_reference'],
      [9, 'unreadable_row'],
    ]);
    expect(await statuses()).toEqual({ [one!.withdrawal]: ['paid', null], [two!.withdrawal]: ['failed', '账户已冻结, 请更换'], [three!.withdrawal]: ['in_batch', null] });
    // Paid out for one, available again for two, still on its way for three.
    expect(await summary(one!.token)).toMatchObject({ paid_out: 1000, available: 9000 });
    expect(await summary(two!.token)).toMatchObject({ paid_out: 0, available: 10_000 });
    expect(await summary(three!.token)).toMatchObject({ paid_out: 0, available: 7000 });
    const listed = (await s.call('GET', '/api/payout-batches', { token: operator })).body.items[0];
    expect(listed).toMatchObject({ id: batch, status: 'open', paid: 1, failed: 1 });
    // The totals the batch keeps are those of its lines.
    const lines = (await s.call('GET', `/api/payout-batches/${batch}`, { token: operator })).body.items as { amount: number; status: string }[];
    expect(listed).toMatchObject({ withdrawals: lines.length, amount: lines.reduce((sum, l) => sum + l.amount, 0), paid: lines.filter((l) => l.status === 'paid').length, failed: lines.filter((l) => l.status === 'failed').length });
    expect(await unbalancedTransactions(s.db.kysely)).toEqual([]);
    expect(await balanceDrift(s.db.kysely)).toEqual([]);
  });

  it('closes the batch with its last line, changes nothing when the same file comes again, and refuses to overturn an outcome', async () => {
    const [one, two, three] = creators;
    const file = ['reference,outcome,reason', `${one!.withdrawal},success,`, `${two!.withdrawal},paid,`, `${three!.withdrawal},FAILED,closed account`].join('\n');
    expect((await send(file)).body).toEqual({ paid: 2, failed: 1, unchanged: 0, rejected: [] });
    expect((await s.call('GET', '/api/payout-batches', { token: operator })).body.items[0]).toMatchObject({ status: 'closed', paid: 2, failed: 1 });
    const before = await statuses();
    expect((await send(file)).body).toEqual({ paid: 0, failed: 0, unchanged: 3, rejected: [] });
    const overturn = await send(`reference,outcome,reason\n${one!.withdrawal},failed,bounced\n`);
    expect(overturn.body).toMatchObject({ paid: 0, failed: 0, unchanged: 0, rejected: [{ row: 1, reference: one!.withdrawal, code: 'already_decided' }] });
    expect(await statuses()).toEqual(before);
    expect(await summary(one!.token)).toMatchObject({ paid_out: 1000 });
    expect(await balanceDrift(s.db.kysely)).toEqual([]);
  });

  it("pages through a batch's lines in id order, each once", async () => {
    const first = await s.call('GET', `/api/payout-batches/${batch}?limit=2`, { token: operator });
    expect(first.body.items).toHaveLength(2);
    const second = await s.call('GET', `/api/payout-batches/${batch}?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`, { token: operator });
    expect(second.body).toMatchObject({ next_cursor: null });
    const seen = [...first.body.items, ...second.body.items].map((w: { id: string }) => w.id);
    expect(seen).toEqual(creators.map((c) => c.withdrawal).sort());
    expect((await s.call('GET', `/api/payout-batches/${batch}`, { token: operator })).body).toMatchObject({ next_cursor: null });
    expect((await s.call('GET', '/api/payout-batches/batch_nope', { token: operator })).status).toBe(404);
    expect((await s.call('GET', `/api/payout-batches/${batch}?cursor=nonsense`, { token: operator })).status).toBe(400);
  });

  it('lists the withdrawals waiting for a batch however many newer ones were decided', async () => {
    const row = (id: string, status: 'requested' | 'paid', requestedAt: string) => ({
      id, party_kind: 'creator' as const, party_id: creators[0]!.id, requested_by: creators[0]!.id, currency: 'CNY', amount_minor: 100, payee_name: 'c', payee_account: 'c',
      status, batch_id: null, idempotency_key: null, failure_reason: null, requested_at: requestedAt, decided_at: null,
    });
    const old = '2026-01-01T00:00:00.000Z';
    await s.db.kysely.insertInto('withdrawals').values(row('wd_waiting', 'requested', old)).execute();
    for (let i = 0; i < 500; i += 100) {
      await s.db.kysely.insertInto('withdrawals').values(Array.from({ length: 100 }, (_, k) => row(`wd_newer${i + k}`, 'paid', new Date(Date.parse('2026-06-01T00:00:00.000Z') + (i + k) * 1000).toISOString()))).execute();
    }
    const latest = (await s.call('GET', '/api/withdrawals', { token: operator })).body.items as { id: string }[];
    expect(latest).toHaveLength(500);
    expect(latest.map((w) => w.id)).not.toContain('wd_waiting');
    const waiting = (await s.call('GET', '/api/withdrawals?status=requested', { token: operator })).body.items as { id: string; status: string }[];
    expect(waiting.map((w) => [w.id, w.status])).toEqual([['wd_waiting', 'requested']]);
    // A creator sees its own only.
    expect((await s.call('GET', '/api/withdrawals?status=requested', { token: creators[1]!.token })).body.items).toEqual([]);
    expect((await s.call('GET', '/api/withdrawals?status=nope', { token: operator })).status).toBe(400);
  });

  it('refuses a file it cannot read as a whole, an unknown batch, and everyone but the operator, and changes nothing', async () => {
    const before = await statuses();
    const noColumn = await send(`reference,result\n${creators[0]!.withdrawal},paid\n`);
    expect(noColumn.status).toBe(400);
    expect(noColumn.body.error).toMatchObject({ code: 'malformed_file' });
    expect(noColumn.body.error.message).toMatch(/payout result/);
    expect((await send('')).body.error.code).toBe('malformed_file');
    expect((await send('reference,outcome\n', 'batch_nope')).status).toBe(404);
    expect((await send('reference,outcome\n', batch, creators[0]!.token)).status).toBe(403);
    expect(await statuses()).toEqual(before);
  });
});
