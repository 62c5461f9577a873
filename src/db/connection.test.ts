import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from './connection.ts';
import { migrateToLatest } from './migrate.ts';
import { holdTransaction } from './testing.ts';

/** Another process (a CLI command beside the server) that holds SQLite's write lock for `ms`. */
async function holdWriteLock(path: string, ms: number): Promise<{ released: Promise<void> }> {
  const child = spawn(process.execPath, [
    '-e',
    `const db = new (require(process.argv[1]))(process.argv[2]);
     db.exec('begin immediate');
     db.prepare("insert into settings (key, value) values ('theirs', '1')").run();
     process.stdout.write('locked\\n');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});
     db.exec('commit');`,
    createRequire(import.meta.url).resolve('better-sqlite3'),
    path,
  ]);
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return { released: new Promise((resolve) => child.once('exit', () => resolve())) };
}

describe('SQLite transactions beside another writer', () => {
  let db: Db;
  let dir: string;
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('wait for its lock under busy_timeout, even when they read before they write', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-connection-'));
    const path = join(dir, 'c.db');
    db = openDb(`sqlite:${path}`);
    await migrateToLatest(db.kysely);
    const { released } = await holdWriteLock(path, 400);
    const started = Date.now();
    // A deferred transaction would be refused here with "database is locked" at once: SQLite does
    // not wait to turn a read transaction into a write one.
    await db.kysely.transaction().execute(async (tx) => {
      expect(await tx.selectFrom('settings').select('key').where('key', '=', 'mine').execute()).toEqual([]);
      await tx.insertInto('settings').values({ key: 'mine', value: '2' }).execute();
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await released;
    expect(await db.kysely.selectFrom('settings').select('key').where('key', 'in', ['mine', 'theirs']).orderBy('key').execute()).toEqual([{ key: 'mine' }, { key: 'theirs' }]);
  });
});

describe('SQLite connection settings', () => {
  it('keep statement journals in memory, never in temporary files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-conn-'));
    const db = openDb(`sqlite:${join(dir, 'db.sqlite')}`);
    try {
      // 2 = MEMORY: a multi-row write inside a transaction journals its pages here, not on disk.
      expect(db.sqlite!.pragma('temp_store', { simple: true })).toBe(2);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the read connection (Db.reads)', () => {
  it('reads the last commit while a transaction is open on the main connection, and refuses to write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-conn-'));
    const db = openDb(`sqlite:${join(dir, 'db.sqlite')}`);
    try {
      await migrateToLatest(db.kysely);
      await db.kysely.insertInto('settings').values({ key: 'committed', value: '1' }).execute();
      const keys = async () => (await db.reads.selectFrom('settings').select('key').where('key', 'in', ['committed', 'pending']).orderBy('key').execute()).map((r) => r.key);
      const release = await holdTransaction(db.kysely, (tx) => tx.insertInto('settings').values({ key: 'pending', value: '1' }).execute());
      try {
        // Answered now, from the last commit: on the main connection this read would wait for `release`.
        expect(await keys()).toEqual(['committed']);
        await expect(db.reads.insertInto('settings').values({ key: 'sneaked', value: '1' }).execute()).rejects.toThrow(/readonly/);
      } finally {
        await release();
      }
      expect(await keys()).toEqual(['committed', 'pending']);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is the main connection itself for an in-memory database, which a second connection would not see', async () => {
    const db = openDb('sqlite::memory:');
    try {
      expect(db.reads).toBe(db.kysely);
    } finally {
      await db.close();
    }
  });
});
