import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../core/ids.ts';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import { createUser } from '../accounts/service.ts';
import { ClickCountFolding } from './click-counts.ts';
import type { ClickRow } from './model.ts';
import { createLink, linksOfCreator, linkStats } from './service.ts';
import { clickCountFoldFor, clickWriterFor } from './store.ts';
import { seedSource } from './testing.ts';

describe.each(DIALECTS)('per-link click counts on %s', (dialect) => {
  let db: TestDb;
  let creatorId = '';
  const codes: string[] = [];
  let click: (code: string, flags?: Partial<ClickRow>) => ClickRow;

  beforeAll(async () => {
    db = await openTestDb(dialect);
    creatorId = (await createUser(db.kysely, { role: 'creator', email: 'counts@x.cn', password: 'password1', name: 'c', handle: 'counts_c' })).id;
    const { productIds, sourceId } = await seedSource(db.kysely, { kind: 'platform', platform: 'jd' }, [{ id: 'J1', url: 'https://item.jd.com/1.html' }]);
    for (let i = 0; i < 3; i++) codes.push((await createLink(db.kysely, { creatorId, productId: productIds.J1!, itemId: null, channel: 'showcase' })).code);
    click = (code, flags = {}) => ({ id: newId('click'), link_code: code, creator_id: creatorId, product_id: productIds.J1!, source_id: sourceId, channel: 'showcase', clicked_at: new Date().toISOString(), ip_hash: 'h'.repeat(32), ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0, ...flags });
  });
  afterAll(async () => {
    await db.close();
  });

  const countsOf = async () => Object.fromEntries((await linksOfCreator(db.kysely, creatorId)).map((l) => [l.code, [l.clicks, l.uniqueClicks]]));

  it('counts every click exactly before, during and after folding, bots and repeats left out of the unique ones', async () => {
    const write = clickWriterFor(db);
    const [a, b, c] = codes as [string, string, string];
    await write([click(a), click(a, { is_bot: 1 }), click(b), click(a, { is_repeat: 1 }), click(b), click(a)]);
    const expected = { [a]: [4, 2], [b]: [2, 2], [c]: [0, 0] };
    expect(await countsOf()).toEqual(expected);

    const fold = clickCountFoldFor(db);
    if (dialect === 'postgres') {
      expect(fold).toBeNull(); // counted by index, nothing to fold
      return;
    }
    expect(await fold!(4)).toBe(4);
    expect(await countsOf()).toEqual(expected);
    expect(await linkStats(db.kysely, a)).toMatchObject({ clicks: 4, uniqueClicks: 2 });
    expect(await fold!(4)).toBe(2);
    expect(await fold!(4)).toBe(0);
    expect(await countsOf()).toEqual(expected);

    await write([click(c), click(a)]);
    expect(await countsOf()).toEqual({ [a]: [5, 3], [b]: [2, 2], [c]: [1, 1] });
    expect(await fold!(100)).toBe(2);
    expect(await countsOf()).toEqual({ [a]: [5, 3], [b]: [2, 2], [c]: [1, 1] });
  });

  it('catches up a backlog in chunks in the background and stops cleanly (PostgreSQL counts by index: nothing to fold)', async () => {
    const [, b] = codes as [string, string];
    const before = await linkStats(db.kysely, b);
    await clickWriterFor(db)(Array.from({ length: 25 }, () => click(b)));
    if (dialect === 'postgres') {
      expect(clickCountFoldFor(db)).toBeNull();
      expect(await linkStats(db.kysely, b)).toMatchObject({ clicks: before.clicks + 25, uniqueClicks: before.uniqueClicks + 25 });
      return;
    }
    const fold = clickCountFoldFor(db)!;
    const chunks: number[] = [];
    const folding = new ClickCountFolding(
      async (max) => {
        const folded = await fold(max);
        chunks.push(folded);
        return folded;
      },
      { everyMs: 5, maxClicks: 10 },
    );
    await expect.poll(() => chunks.includes(5), { timeout: 2_000 }).toBe(true);
    await folding.stop();
    expect(chunks.slice(0, 3)).toEqual([10, 10, 5]);
    expect(await linkStats(db.kysely, b)).toMatchObject({ clicks: before.clicks + 25, uniqueClicks: before.uniqueClicks + 25 });
    const unfolded = await db.kysely.selectFrom('settings').select('value').where('key', '=', 'link_clicks_folded_through_rowid').executeTakeFirstOrThrow();
    expect(Number(unfolded.value)).toBeGreaterThan(0);
  });
  it('waits, before writing or folding clicks, while the connection is asked to wait between transactions (SQLite: the WAL starting over)', async () => {
    if (dialect === 'postgres') {
      expect(db.sqliteHooks).toBeUndefined();
      return;
    }
    const [a] = codes as [string];
    const storedOf = async () => (await db.reads.selectFrom('clicks').select('id').where('link_code', '=', a).execute()).length;
    const hooks = db.sqliteHooks!;
    let release!: () => void;
    const waited = new Promise<void>((resolve) => (release = resolve));
    hooks.beforeTransaction = () => waited;
    try {
      const before = await storedOf();
      let written = false;
      const writing = clickWriterFor(db)([click(a)]).then(() => (written = true));
      let folded = false;
      const folding = clickCountFoldFor(db)!(100).then(() => (folded = true));
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect({ written, folded, stored: await storedOf() }).toEqual({ written: false, folded: false, stored: before });
      release();
      await Promise.all([writing, folding]);
      expect(await storedOf()).toBe(before + 1);
    } finally {
      hooks.beforeTransaction = undefined;
    }
  });
});
