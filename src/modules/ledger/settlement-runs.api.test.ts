import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../db/testing.ts';
import { startTestServer, type TestServer } from '../../http/testing.ts';
import { createUser } from '../accounts/service.ts';
import { settlementRun } from './service.ts';
import { settle, SettlementStopped, startSettlement } from './settlement.ts';
import { balanceDrift, unbalancedTransactions } from './store.ts';
import { refuseSettling, seedLines } from './testing.ts';

const ASYNC = { prefer: 'respond-async' };

/** A settlement started from the console: answered once recorded, followed at its own address, joined, stopped, resumed. */
describe.each(DIALECTS)('settlement runs in the background on %s', (dialect) => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  const server = async () => {
    s = await startTestServer(dialect);
    await createUser(s.db.kysely, { role: 'operator', email: 'op@runs.cn', password: 'password1', name: 'op' });
    await createUser(s.db.kysely, { role: 'creator', email: 'c@runs.cn', password: 'password1', name: 'c', handle: 'runs_c' });
    const due = (await seedLines(s.db)).due;
    return { s, due, operator: await s.login('op@runs.cn', 'password1'), creator: await s.login('c@runs.cn', 'password1') };
  };

  /** Reads the run at `location` until `done` says so (or 10 s pass). */
  const follow = async (server: TestServer, token: string, location: string, done: (run: any) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const run = await server.call('GET', location, { token });
      expect(run.status).toBe(200);
      if (done(run.body)) return run.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${location} never got there`);
  };

  it('answers 202 once the run is recorded, and the run goes on to the end, followed at its Location', async () => {
    const { s, operator } = await server();
    const started = await s.call('POST', '/api/settlements', { token: operator, body: {}, headers: ASYNC });
    expect(started.status).toBe(202);
    expect(started.headers.get('preference-applied')).toBe('respond-async');
    expect(started.body).toMatchObject({ status: 'running', resumed: false, as_of_after_now: false });
    const location = started.headers.get('location')!;
    expect(location).toBe(`/api/settlements/${started.body.settlement_id}`);
    const run = await follow(s, operator, location, (r) => r.status === 'completed');
    expect(run).toMatchObject({ id: started.body.settlement_id, lines: 36, error: null, summary: { statements: 5 }, active: false });
    expect(run.finished_at).not.toBeNull();
    expect((await s.call('GET', '/api/settlements', { token: operator })).body.items).toEqual([run]);
    // Without the preference the answer waits for the run, as before: this one finds nothing left.
    const again = await s.call('POST', '/api/settlements', { token: operator, body: {} });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ lines: 0, resumed: false, as_of_after_now: false });
    expect(await unbalancedTransactions(s.db.kysely)).toEqual([]);
    expect(await balanceDrift(s.db.kysely)).toEqual([]);
  });

  it('settles as of a later date when asked, and says that it was after now', async () => {
    const { s, operator } = await server();
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const run = await s.call('POST', '/api/settlements', { token: operator, body: { as_of: later } });
    expect(run.status).toBe(201);
    // The 36 lines due now and the two whose window ends tomorrow.
    expect(run.body).toMatchObject({ as_of: later, lines: 38, as_of_after_now: true });
    const started = await s.call('POST', '/api/settlements', { token: operator, body: { as_of: later }, headers: ASYNC });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ as_of: later, as_of_after_now: true });
    await follow(s, operator, started.headers.get('location')!, (r) => r.status === 'completed');
  });

  it('keeps why a run stopped on the run, and the next run resumes it and clears it', async () => {
    const { s, operator } = await server();
    const allow = await refuseSettling(s.db, 'com_settle017');
    const started = await s.call('POST', '/api/settlements', { token: operator, body: {}, headers: ASYNC });
    expect(started.status).toBe(202);
    const stopped = await follow(s, operator, started.headers.get('location')!, (r) => r.error !== null);
    expect(stopped).toMatchObject({ status: 'running', lines: 0, summary: null, active: false });
    expect(stopped.error).toMatch(/refused for the test/);

    await allow();
    const resumed = await s.call('POST', '/api/settlements', { token: operator, body: {}, headers: ASYNC });
    expect(resumed.body).toMatchObject({ settlement_id: started.body.settlement_id, resumed: true });
    // The resumed run no longer shows the old error while it goes, and ends with every line.
    expect((await s.call('GET', started.headers.get('location')!, { token: operator })).body.error).toBeNull();
    const run = await follow(s, operator, started.headers.get('location')!, (r) => r.status === 'completed');
    expect(run).toMatchObject({ lines: 36, error: null });
    expect(await balanceDrift(s.db.kysely)).toEqual([]);
  });

  it('tells a run whose process died (no batch for minutes, no error) from one going, and the next run resumes it', async () => {
    const { s, operator } = await server();
    // What a process killed mid-run leaves: the run running, its last batch ten minutes ago.
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    await s.db.kysely.insertInto('settlement_runs').values({ id: 'settlement_abandoned', as_of: new Date().toISOString(), status: 'running', started_by: null, started_at: tenMinutesAgo, finished_at: null, lines: 0, batches: 0, summary: null, error: null, heartbeat_at: tenMinutesAgo }).execute();
    const abandoned = (await s.call('GET', '/api/settlements/settlement_abandoned', { token: operator })).body;
    expect(abandoned).toMatchObject({ status: 'running', error: null, heartbeat_at: tenMinutesAgo, active: false });
    const resumed = await s.call('POST', '/api/settlements', { token: operator, body: {}, headers: ASYNC });
    expect(resumed.body).toMatchObject({ settlement_id: 'settlement_abandoned', resumed: true });
    const run = await follow(s, operator, '/api/settlements/settlement_abandoned', (r) => r.status === 'completed');
    expect(run).toMatchObject({ lines: 36, active: false });
    expect(Date.parse(run.heartbeat_at)).toBeGreaterThan(Date.parse(tenMinutesAgo));
  });

  it('is the operator’s: others are refused, and an unknown run is 404', async () => {
    const { s, operator, creator } = await server();
    expect((await s.call('POST', '/api/settlements', { token: creator, body: {}, headers: ASYNC })).status).toBe(403);
    expect((await s.call('GET', '/api/settlements/settlement_nope', { token: creator })).status).toBe(403);
    const missing = await s.call('GET', '/api/settlements/settlement_nope', { token: operator });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect(await s.db.kysely.selectFrom('settlement_runs').selectAll().execute()).toEqual([]);
  });

  it('joins a run this process has going rather than walking its queue beside it', async () => {
    const { s, due } = await server();
    const first = startSettlement(s.db.kysely, { asOf: new Date(), batchLines: 4 });
    const second = startSettlement(s.db.kysely, { asOf: new Date(Date.now() - 86_400_000), batchLines: 4 });
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(b).toEqual({ ...a, resumed: true });
    expect(a).toMatchObject({ resumed: false, lines: due.length });
    expect(await s.db.kysely.selectFrom('settlement_runs').select('id').execute()).toEqual([{ id: a.settlement_id }]);
    const settled = await s.db.kysely.selectFrom('commissions').select('id').where('settlement_id', '=', a.settlement_id).execute();
    expect(settled).toHaveLength(due.length);
    // Once done, the next call starts a run of its own.
    expect(await settle(s.db.kysely, { asOf: new Date() })).toMatchObject({ resumed: false, lines: 0 });
  });

  it('stops after the batch in hand when asked (a server shutting down), and the next call settles the rest once', async () => {
    const { s, due } = await server();
    const started = startSettlement(s.db.kysely, { asOf: new Date(), batchLines: 1 });
    const { run } = await started.begun;
    // Going: it moved just now.
    expect(await settlementRun(s.db.kysely, run.id)).toMatchObject({ status: 'running', error: null, active: true });
    started.stop();
    await expect(started.done).rejects.toBeInstanceOf(SettlementStopped);
    const stopped = await s.db.kysely.selectFrom('settlement_runs').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(stopped.status).toBe('running');
    expect(stopped.error).toMatch(/shutting down/);
    expect(stopped.lines).toBeLessThan(due.length);
    const settledSoFar = await s.db.kysely.selectFrom('commissions').select('id').where('settlement_id', '=', run.id).execute();
    expect(settledSoFar).toHaveLength(stopped.lines);

    const resumed = await settle(s.db.kysely, { asOf: new Date(), batchLines: 10 });
    expect(resumed).toMatchObject({ settlement_id: run.id, resumed: true, lines: due.length });
    expect(await s.db.kysely.selectFrom('settlement_runs').select('error').where('id', '=', run.id).executeTakeFirstOrThrow()).toEqual({ error: null });
    expect(await unbalancedTransactions(s.db.kysely)).toEqual([]);
    expect(await balanceDrift(s.db.kysely)).toEqual([]);
  });
});
