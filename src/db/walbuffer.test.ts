import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from './connection.ts';
import { loadWalBuffer, WAL_BUFFER_LIBRARY, walBufferStats } from './walbuffer.ts';

/**
 * The WAL buffer (native/walbuffer.c) changes how SQLite's frames reach the file, so these tests
 * look at the file: what another connection reads, and what a copy of the database and its WAL
 * taken right after a commit holds when opened afresh (SQLite rebuilds its WAL index from the
 * frames and their checksums, as after a crash).
 */
describe('SQLite WAL buffer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-walbuffer-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function openFile(name: string, cachePages = 2000): SQLite.Database {
    const database = new SQLite(join(dir, name));
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma(`cache_size = ${cachePages}`);
    database.pragma('wal_autocheckpoint = 0');
    return database;
  }

  /** The database and its WAL as they are on disk now, opened as a new file (no WAL index). */
  function reopenCopy(database: SQLite.Database, name: string): SQLite.Database {
    copyFileSync(database.name, join(dir, name));
    copyFileSync(`${database.name}-wal`, join(dir, `${name}-wal`));
    return new SQLite(join(dir, name));
  }

  it('is built by npm install and loaded for SQLite files: a commit goes out in a few writes', async () => {
    expect(existsSync(WAL_BUFFER_LIBRARY), `${WAL_BUFFER_LIBRARY} is missing: npm install builds it (needs a C compiler)`).toBe(true);
    const db = openDb(`sqlite:${join(dir, 'app.db')}`);
    try {
      expect(loadWalBuffer()).toEqual({ loaded: true });
      const database = db.sqlite!;
      database.exec('create table t (id integer primary key, body text)');
      const before = walBufferStats(database);
      const insert = database.prepare('insert into t (body) values (?)');
      database.transaction(() => {
        for (let i = 0; i < 2000; i++) insert.run('x'.repeat(1000));
      })();
      const after = walBufferStats(database);
      // ~500 pages: a header and a page each, 1,000 writes gathered, sent in ~17 pieces of 124 KiB.
      expect(after.gathered - before.gathered).toBeGreaterThan(900);
      expect(after.written - before.written).toBeLessThan(40);
    } finally {
      await db.close();
    }
  });

  it('another connection sees each commit whole, never frames not yet in the file', () => {
    loadWalBuffer();
    const writer = openFile('shared.db');
    writer.exec('create table t (id integer primary key, batch integer not null, body text not null)');
    const reader = new SQLite(join(dir, 'shared.db'));
    const insert = writer.prepare('insert into t (batch, body) values (?, ?)');
    const count = reader.prepare('select count(*) as n, coalesce(max(batch), -1) as last from t');
    for (let batch = 0; batch < 30; batch++) {
      writer.transaction(() => {
        for (let i = 0; i < 100 + batch * 7; i++) insert.run(batch, `${batch}:${i}:${'y'.repeat(300)}`);
      })();
      const expected = Array.from({ length: batch + 1 }, (_, b) => 100 + b * 7).reduce((a, b) => a + b, 0);
      expect(count.get()).toEqual({ n: expected, last: batch });
    }
    expect(reader.pragma('integrity_check', { simple: true })).toBe('ok');
    reader.close();
    writer.close();
  });

  it('a transaction larger than the buffer, spilling and rewriting its own frames, is whole on disk at its commit', () => {
    loadWalBuffer();
    // A 50-page cache: the transaction's pages spill to the WAL before the commit, and pages
    // changed again after spilling are written over their earlier frames, whose checksums SQLite
    // then rewrites at the commit (the last write of the commit is then that frame header alone).
    const writer = openFile('big.db', 50);
    writer.exec('create table t (id integer primary key, body text not null)');
    const insert = writer.prepare('insert into t (id, body) values (?, ?)');
    const update = writer.prepare('update t set body = ? where id = ?');
    writer.transaction(() => {
      for (let i = 0; i < 12_000; i++) insert.run(i, `${i}:${'z'.repeat(800)}`); // ~10 MB, past the 8 MiB buffer
      for (let i = 0; i < 12_000; i += 37) update.run(`${i}:changed`, i);
    })();
    const copy = reopenCopy(writer, 'big-copy.db');
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare("select count(*) as n, sum(body like '%:changed') as changed from t").get()).toEqual({ n: 12_000, changed: Math.ceil(12_000 / 37) });
    copy.close();
    writer.close();
  });

  it('what a commit wrote is in the file when the commit returns, for small and large transactions alike', () => {
    loadWalBuffer();
    const writer = openFile('steps.db');
    writer.exec('create table t (id integer primary key, body text not null)');
    const insert = writer.prepare('insert into t (body) values (?)');
    let rows = 0;
    for (const size of [1, 3, 250, 1, 4000, 2]) {
      writer.transaction(() => {
        for (let i = 0; i < size; i++) insert.run('w'.repeat(500));
      })();
      rows += size;
      const copy = reopenCopy(writer, `steps-${rows}.db`);
      expect(copy.prepare('select count(*) as n from t').pluck().get()).toBe(rows);
      copy.close();
    }
    writer.close();
  });

  it('a process killed between commits loses none of them', async () => {
    // A child commits transaction after transaction and says so after each; it is killed with
    // SIGKILL mid-stream. Every transaction it reported is in the database afterwards.
    const path = join(dir, 'killed.db');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
      import { loadWalBuffer } from ${JSON.stringify(new URL('./walbuffer.ts', import.meta.url).pathname)};
      import SQLite from 'better-sqlite3';
      if (!loadWalBuffer().loaded) process.exit(3);
      const db = new SQLite(${JSON.stringify(path)});
      db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('wal_autocheckpoint = 0');
      db.exec('create table t (id integer primary key, batch integer not null, body text not null)');
      const insert = db.prepare('insert into t (batch, body) values (?, ?)');
      for (let batch = 0; ; batch++) {
        db.transaction(() => { for (let i = 0; i < 200; i++) insert.run(batch, 'k'.repeat(400)); })();
        process.stdout.write(batch + '\\n');
      }
    `], { cwd: new URL('../..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] });
    let reported = -1;
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        const lines = chunk.toString().trim().split('\n');
        reported = Number(lines[lines.length - 1]);
        if (reported >= 40) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const database = new SQLite(path);
    expect(database.pragma('integrity_check', { simple: true })).toBe('ok');
    const { batches, rows } = database.prepare('select count(distinct batch) as batches, count(*) as rows from t').get() as { batches: number; rows: number };
    expect(batches).toBeGreaterThanOrEqual(reported + 1);
    expect(rows).toBe(batches * 200);
    database.close();
  });

  it('is left out when turned off, and the server says why', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
      import { loadWalBuffer } from ${JSON.stringify(new URL('./walbuffer.ts', import.meta.url).pathname)};
      process.stdout.write(JSON.stringify(loadWalBuffer()));
    `], { cwd: new URL('../..', import.meta.url).pathname, env: { ...process.env, SQLITE_WAL_BUFFER: 'off' }, encoding: 'utf8' });
    expect(JSON.parse(result.stdout)).toEqual({ loaded: false, reason: 'turned off (SQLITE_WAL_BUFFER=off)' });
  });
});
