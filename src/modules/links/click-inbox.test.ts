import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runVitrine } from '../../cli/testing.ts';
import { openDb } from '../../db/connection.ts';
import { holdTransaction, openTestDb, type TestDb } from '../../db/testing.ts';
import { ClickInbox } from './click-inbox.ts';
import type { ClickRow } from './model.ts';
import { CLICK_COLUMNS, sqliteClickInserts } from './store.ts';

const click = (id: string): ClickRow => ({
  id,
  link_code: 'code1',
  creator_id: 'usr_c',
  product_id: 'prd_p',
  source_id: 'src_s',
  channel: 'showcase',
  clicked_at: '2026-11-27T06:00:00.000Z',
  ip_hash: 'h',
  ua_class: 'mobile',
  referrer: null,
  is_bot: 0,
  is_repeat: 0,
});

describe('the click inbox (SQLite file)', () => {
  let db: TestDb;
  let inbox: ClickInbox | null = null;
  afterEach(async () => {
    await inbox?.close();
    inbox = null;
    await db.close();
  });

  const storedIds = async () => (await db.kysely.selectFrom('clicks').select('id').orderBy('id').execute()).map((r) => r.id);
  const inboxIds = () => {
    const file = new SQLite(`${db.sqlite!.name}-clicks`, { readonly: true });
    try {
      return (file.prepare('select id from clicks order by id').all() as { id: string }[]).map((r) => r.id);
    } finally {
      file.close();
    }
  };

  /** An inbox file as a killed server leaves it, holding these clicks. */
  const leaveInInbox = (ids: readonly string[]) => {
    const left = new SQLite(`${db.sqlite!.name}-clicks`);
    try {
      left.exec(`create table clicks (${CLICK_COLUMNS.join(', ')})`);
      sqliteClickInserts(left)(ids.map(click));
    } finally {
      left.close();
    }
  };

  it('commits a click that comes during a transaction without waiting for it, and moves it into clicks when the transaction ends', async () => {
    db = await openTestDb('sqlite');
    inbox = (await ClickInbox.open(db))!;
    let written = false;
    const release = await holdTransaction(db.kysely, (tx) => tx.insertInto('settings').values({ key: 'held', value: '1' }).execute());
    expect(db.sqlite!.inTransaction).toBe(true);
    await inbox.write([click('clk_during')]).then(() => (written = true));
    // Durable in the inbox while the transaction is still open.
    expect(written).toBe(true);
    expect(inboxIds()).toEqual(['clk_during']);
    expect(inbox.unmoved).toBe(1);
    await release();
    // Whatever uses the connection next comes after the move.
    expect(await storedIds()).toEqual(['clk_during']);
    expect(inbox.unmoved).toBe(0);
    expect(inboxIds()).toEqual([]);
  });

  it('writes a click straight into clicks when no transaction is open', async () => {
    db = await openTestDb('sqlite');
    inbox = (await ClickInbox.open(db))!;
    await inbox.write([click('clk_a'), click('clk_b')]);
    expect(db.sqlite!.prepare('select id from clicks order by id').all()).toEqual([{ id: 'clk_a' }, { id: 'clk_b' }]);
    expect(inbox.unmoved).toBe(0);
    expect(inboxIds()).toEqual([]);
  });

  it('moves the clicks a killed process left in the inbox when it next opens, once each, even those it had already moved', async () => {
    db = await openTestDb('sqlite');
    // As a process killed between a move's two steps leaves them: clk_moved is in both places.
    leaveInInbox(['clk_moved', 'clk_left']);
    await db.kysely.insertInto('clicks').values(click('clk_moved')).execute();
    inbox = (await ClickInbox.open(db))!;
    expect(await storedIds()).toEqual(['clk_left', 'clk_moved']);
    expect(inboxIds()).toEqual([]);
  });

  it('is emptied by a CLI command before it runs, after a server that was killed', async () => {
    db = await openTestDb('sqlite');
    leaveInInbox(['clk_left']);
    expect(await runVitrine(db.url, ['migrate'])).toEqual({ applied: [] });
    expect(await storedIds()).toEqual(['clk_left']);
    expect(inboxIds()).toEqual([]);
  });

  it('puts clicks in the inbox while the main connection is asked to wait between transactions, and moves them once it may write', async () => {
    db = await openTestDb('sqlite');
    inbox = (await ClickInbox.open(db))!;
    const hooks = db.sqliteHooks!;
    let release!: () => void;
    const waited = new Promise<void>((resolve) => (release = resolve));
    hooks.beforeTransaction = () => waited;
    try {
      await inbox.write([click('clk_w1'), click('clk_w2')]);
      // Read on the read connection: the main one is held by the move waiting to begin.
      const stored = (await db.reads.selectFrom('clicks').select('id').execute()).map((r) => r.id);
      expect({ inbox: inboxIds(), stored, unmoved: inbox.unmoved }).toEqual({ inbox: ['clk_w1', 'clk_w2'], stored: [], unmoved: 2 });
      hooks.beforeTransaction = undefined;
      release();
      await inbox.write([click('clk_w3')]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect({ inbox: inboxIds(), stored: await storedIds(), unmoved: inbox.unmoved }).toEqual({ inbox: [], stored: ['clk_w1', 'clk_w2', 'clk_w3'], unmoved: 0 });
    } finally {
      hooks.beforeTransaction = undefined;
    }
  });

  it('moves what is left when it closes', async () => {
    db = await openTestDb('sqlite');
    inbox = (await ClickInbox.open(db))!;
    const release = await holdTransaction(db.kysely, async () => undefined);
    await inbox.write([click('clk_late')]);
    const closing = inbox.close();
    inbox = null;
    await release();
    await closing;
    expect(await storedIds()).toEqual(['clk_late']);
    expect(inboxIds()).toEqual([]);
  });

  it('has no inbox for an in-memory database', async () => {
    const memory = openDb('sqlite::memory:');
    try {
      expect(await ClickInbox.open(memory)).toBeNull();
    } finally {
      await memory.close();
    }
    db = await openTestDb('sqlite');
  });
});
