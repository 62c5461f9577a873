import { mkdirSync, mkdtempSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../modules/accounts/service.ts';
import { startTestServer, type TestServer } from '../http/testing.ts';
import { WalSync } from './durability.ts';
import { openDb } from './connection.ts';
import { openTestDb, type TestDb } from './testing.ts';

describe('durable commits on a SQLite file (group commit of the WAL)', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb('sqlite');
  });
  afterAll(async () => {
    await db.close();
  });

  const write = (key: string) => db.kysely.insertInto('settings').values({ key, value: 'v' }).execute();

  it('shares one sync among the callers of the moment, and never lets a caller ride a sync begun before it', async () => {
    const sync = db.walSync!;
    await write('g-0');
    const before = sync.completed;
    // The first call begins a sync; the rest came while it ran, so they wait for one more, shared.
    await Promise.all(Array.from({ length: 20 }, () => db.durable()));
    expect(sync.completed - before).toBe(2);

    const first = db.durable();
    await write('g-1'); // committed while the first sync may already be under way
    const second = db.durable();
    let firstDone = -1;
    void first.then(() => (firstDone = sync.completed));
    await second;
    expect(sync.completed).toBeGreaterThan(firstDone);
  });

  it('resolves at once where there is no WAL, and on a database in memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-durable-'));
    try {
      const none = new WalSync(join(dir, 'absent.db-wal'));
      await none.durable();
      expect(none.completed).toBe(0);
      const memory = openDb('sqlite::memory:');
      await memory.durable();
      expect(memory.walSync).toBeUndefined();
      await memory.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the HTTP server answers a write once it is durable', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    await createUser(server.db.kysely, { role: 'operator', email: 'durable@example.cn', password: 'password1', name: 'D' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('syncs before answering a POST, and not for a GET', async () => {
    const sync = server.db.walSync!;
    const before = sync.completed;
    const token = await server.login('durable@example.cn', 'password1'); // a POST that writes a session
    const afterPost = sync.completed;
    expect((await server.call('GET', '/api/me', { token })).status).toBe(200);
    expect({ syncedByThePost: afterPost - before >= 1, syncedByTheGet: sync.completed - afterPost }).toEqual({ syncedByThePost: true, syncedByTheGet: 0 });
  });

  it('answers 503 in the contract’s shape when the sync fails, whatever the route answered', async () => {
    // A WAL that cannot be opened for the sync: a directory where it was. SQLite keeps writing
    // through the descriptors it holds, so the login itself succeeds.
    const wal = `${server.db.sqlite!.name}-wal`;
    renameSync(wal, `${wal}.aside`);
    mkdirSync(wal);
    let failed;
    try {
      failed = await server.call('POST', '/api/auth/login', { body: { email: 'durable@example.cn', password: 'password1' } });
    } finally {
      rmdirSync(wal);
      renameSync(`${wal}.aside`, wal);
    }
    expect({ status: failed.status, code: failed.body?.error?.code, token: failed.body?.token }).toEqual({ status: 503, code: 'not_durable', token: undefined });
    expect(failed.headers.get('content-type')).toContain('application/json');
    // With the WAL back, writes are answered as before.
    expect((await server.call('POST', '/api/auth/login', { body: { email: 'durable@example.cn', password: 'password1' } })).status).toBe(200);
  });
});
