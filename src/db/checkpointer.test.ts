import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundCheckpoints } from './checkpointer.ts';
import { openTestDb, type TestDb } from './testing.ts';

describe('background WAL checkpoints (SQLite)', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb('sqlite');
  });
  afterAll(async () => {
    await db.close();
  });

  it('copies the WAL into the database from a worker while the server’s connection only appends', async () => {
    const sqlite = db.sqlite!;
    const stop = startBackgroundCheckpoints(db, { everyMs: 20 });
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(sqlite.name).size;
    const insert = sqlite.prepare('insert into settings (key, value) values (?, ?)');
    sqlite.transaction(() => {
      for (let i = 0; i < 4000; i++) insert.run(`k${i}`, 'x'.repeat(1000));
    })();
    const deadline = Date.now() + 5000;
    while (statSync(sqlite.name).size < before + 3_000_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(statSync(sqlite.name).size).toBeGreaterThan(before + 3_000_000);
    await stop();
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(sqlite.prepare("select count(*) as n from settings where key like 'k%'").get()).toEqual({ n: 4000 });
  });

  it('does nothing on PostgreSQL or an in-memory database', async () => {
    const stop = startBackgroundCheckpoints({ ...db, sqlite: undefined });
    await stop();
  });
});
