import { statSync } from 'node:fs';
import type SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundCheckpoints } from './checkpointer.ts';
import { openTestDb, type TestDb } from './testing.ts';

/**
 * The server's connection with a short journal_size_limit (a WAL started over shrinks at its next
 * commit), recording every pragma run on it from now on; `pragma` is the original, to put back.
 */
function recordingPragmas(db: TestDb): { sqlite: SQLite.Database; wal: string; pragmas: string[]; pragma: SQLite.Database['pragma'] } {
  const sqlite = db.sqlite!;
  sqlite.pragma(`journal_size_limit = ${256 * 1024}`);
  const pragmas: string[] = [];
  const pragma = sqlite.pragma.bind(sqlite);
  sqlite.pragma = ((source: string, options?: SQLite.PragmaOptions) => {
    pragmas.push(source);
    return pragma(source, options);
  }) as typeof sqlite.pragma;
  return { sqlite, wal: `${sqlite.name}-wal`, pragmas, pragma };
}

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
    // A WAL started over is cut back to journal_size_limit at its first commit: the file shrinks.
    const sqlite = db.sqlite!;
    sqlite.pragma(`journal_size_limit = ${256 * 1024}`);
    const wal = `${sqlite.name}-wal`;
    let t = 0;
    const streamUntilShrunk = async (restartFrames: number, forMs: number): Promise<{ shrank: boolean; transactions: number }> => {
      const stop = startBackgroundCheckpoints(db, { everyMs: 5, restartFrames });
      let largest = 0;
      let transactions = 0;
      let shrank = false;
      for (const until = Date.now() + forMs; !shrank && Date.now() < until; transactions++, t++) {
        await db.kysely.transaction().execute(async (tx) => {
          await tx.insertInto('settings').values(Array.from({ length: 100 }, (_, i) => ({ key: `s-${t}-${i}`, value: 'y'.repeat(1000) }))).execute();
        });
        const size = statSync(wal).size;
        shrank = size < largest;
        largest = Math.max(largest, size);
      }
      await stop();
      return { shrank, transactions };
    };
    const plain = await streamUntilShrunk(1_000_000_000, 800);
    expect(plain).toMatchObject({ shrank: false });
    expect(plain.transactions).toBeGreaterThan(50);
    expect(await streamUntilShrunk(500, 10_000)).toMatchObject({ shrank: true });
    expect(sqlite.prepare("select count(*) as n from settings where key like 's-%'").get()).toEqual({ n: 100 * t });
  });

  it('leaves the copying to the worker: the server’s connection waits between transactions while it finishes, and never checkpoints', async () => {
    const { sqlite, wal, pragmas, pragma } = recordingPragmas(db);
    try {
      const stop = startBackgroundCheckpoints(db, { everyMs: 5, restartFrames: 500 });
      let largest = 0;
      let shrank = false;
      for (let n = 0, until = Date.now() + 10_000; !shrank && Date.now() < until; n++) {
        await db.kysely.transaction().execute(async (tx) => {
          await tx.insertInto('settings').values(Array.from({ length: 100 }, (_, i) => ({ key: `w-${n}-${i}`, value: 'y'.repeat(1000) }))).execute();
        });
        const size = statSync(wal).size;
        shrank = size < largest;
        largest = Math.max(largest, size);
      }
      const during = pragmas.filter((p) => p.startsWith('wal_checkpoint'));
      const { waits, waitedMs } = stop.restartWaits();
      await stop();
      expect({ shrank, checkpointsHere: during }).toEqual({ shrank: true, checkpointsHere: [] });
      // The wait before the WAL started over is counted, with the time it took.
      expect(waits).toBeGreaterThanOrEqual(1);
      expect(waitedMs).toBeGreaterThan(0);
    } finally {
      sqlite.pragma = pragma;
    }
  });

  it('copies the rest itself when the worker does not answer in time, and the transaction goes on', async () => {
    const { sqlite, wal, pragmas, pragma } = recordingPragmas(db);
    const write = (tag: string, rows: number) =>
      db.kysely.transaction().execute(async (tx) => {
        await tx.insertInto('settings').values(Array.from({ length: rows }, (_, i) => ({ key: `${tag}-${i}`, value: 'z'.repeat(1000) }))).execute();
      });
    try {
      const stop = startBackgroundCheckpoints(db, { everyMs: 5, restartFrames: 500, finishWaitMs: 100 });
      // A WAL of well over 500 frames, which the worker copies: the next transaction is to start it over.
      const before = statSync(sqlite.name).size;
      await write('stall-a', 3000);
      for (const until = Date.now() + 5000; statSync(sqlite.name).size < before + 2_500_000 && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const walBefore = statSync(wal).size;
      stop.stallWorker(1500);
      const started = performance.now();
      await write('stall-b', 10);
      const waited = performance.now() - started;
      const copiedHere = pragmas.filter((p) => p.startsWith('wal_checkpoint'));
      await stop();
      expect({ waitedLessThanTheStall: waited < 1000, copiedHere, walStartedOver: statSync(wal).size < walBefore }).toEqual({
        waitedLessThanTheStall: true,
        copiedHere: ['wal_checkpoint(PASSIVE)'],
        walStartedOver: true,
      });
      expect(sqlite.prepare("select count(*) as n from settings where key like 'stall-%'").get()).toEqual({ n: 3010 });
    } finally {
      sqlite.pragma = pragma;
    }
  });

  it('does nothing on PostgreSQL or an in-memory database', async () => {
    const stop = startBackgroundCheckpoints({ ...db, sqlite: undefined });
    await stop();
  });
});
