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

  it('starts the WAL over under a steady stream of transactions, which plain checkpoints never do', async () => {
    // Transactions back to back, as a busy ingestion runs them: the worker copies the WAL, but a
    // transaction commits more before it is done, so only the server's connection can finish.
    // Without that, the WAL holds every transaction's pages.
    const framesAfterStream = async (restartFrames: number): Promise<{ frames: number; transactions: number }> => {
      const stop = startBackgroundCheckpoints(db, { everyMs: 5, restartFrames });
      let transactions = 0;
      for (const until = Date.now() + 800; Date.now() < until; transactions++) {
        await db.kysely.transaction().execute(async (tx) => {
          await tx.insertInto('settings').values(Array.from({ length: 100 }, (_, i) => ({ key: `s${restartFrames}-${transactions}-${i}`, value: 'y'.repeat(1000) }))).execute();
        });
      }
      await stop();
      // Frames in the WAL since it was last started over (all copied by now).
      const [wal] = db.sqlite!.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number }[];
      expect(wal!.busy).toBe(0);
      return { frames: wal!.log, transactions };
    };
    // About 25 pages per transaction, hundreds of transactions.
    const plain = await framesAfterStream(1_000_000_000);
    expect(plain.frames).toBeGreaterThan(20 * plain.transactions);
    const restarted = await framesAfterStream(500);
    expect(restarted.transactions).toBeGreaterThan(100);
    // At most a few checkpoint intervals' worth past the 500 that call for a restart.
    expect(restarted.frames).toBeLessThan(5_000);
    expect(db.sqlite!.prepare("select count(*) as n from settings where key like 's%'").get()).toEqual({ n: 100 * (plain.transactions + restarted.transactions) });
  });

  it('does nothing on PostgreSQL or an in-memory database', async () => {
    const stop = startBackgroundCheckpoints({ ...db, sqlite: undefined });
    await stop();
  });
});
