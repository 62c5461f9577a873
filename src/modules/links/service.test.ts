import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../core/ids.ts';
import { DIALECTS, openTestDb, type TestDb } from '../../db/testing.ts';
import { createUser } from '../accounts/service.ts';
import type { ClickRow } from './model.ts';
import { clickIpSecret, createLink, linksOfCreator, linkStats } from './service.ts';
import { clickWriterFor, insertLinkIfCodeFree, linkTargets, newestLinkTargets } from './store.ts';
import { seedSource } from './testing.ts';

function click(code: string, creatorId: string, productId: string, sourceId: string, overrides: Partial<ClickRow> = {}): ClickRow {
  return { id: newId('click'), link_code: code, creator_id: creatorId, product_id: productId, source_id: sourceId, channel: 'showcase', clicked_at: new Date().toISOString(), ip_hash: 'h'.repeat(32), ua_class: 'mobile', referrer: null, is_bot: 0, is_repeat: 0, ...overrides };
}

describe.each(DIALECTS)('tracked links in storage on %s', (dialect) => {
  let db: TestDb;
  let creatorId = '';
  let productId = '';
  let sourceId = '';

  beforeAll(async () => {
    db = await openTestDb(dialect);
    creatorId = (await createUser(db.kysely, { role: 'creator', email: 'links@x.cn', password: 'password1', name: 'c', handle: 'links_c' })).id;
    const seeded = await seedSource(db.kysely, { kind: 'platform', platform: 'jd' }, [{ id: 'J1', url: 'https://item.jd.com/1.html' }]);
    productId = seeded.productIds.J1!;
    sourceId = seeded.sourceId;
  });
  afterAll(async () => {
    await db.close();
  });

  it('makes short unguessable codes, each unique, with the tracked path as url', async () => {
    const links = await Promise.all(Array.from({ length: 200 }, () => createLink(db.kysely, { creatorId, productId, itemId: null, channel: 'video' })));
    expect(new Set(links.map((l) => l.code)).size).toBe(200);
    for (const l of links) {
      expect(l.code).toMatch(/^[0-9A-Za-z]{9}$/);
      expect(l.url).toBe(`/r/${l.code}`);
    }
  });

  it('survives a code collision inside the caller’s transaction (PostgreSQL would abort it on an error)', async () => {
    const taken = await createLink(db.kysely, { creatorId, productId, itemId: null, channel: 'live' });
    const made = await db.kysely.transaction().execute(async (tx) => {
      const row = { code: taken.code, creator_id: creatorId, product_id: productId, item_id: null, channel: 'live', created_at: new Date().toISOString() };
      expect(await insertLinkIfCodeFree(tx, row)).toBe(false);
      return createLink(tx, { creatorId, productId, itemId: null, channel: 'live' });
    });
    expect((await linkStats(db.kysely, made.code)).channel).toBe('live');
  });

  it('writes a batch of clicks whole or not at all', async () => {
    const { code } = await createLink(db.kysely, { creatorId, productId, itemId: null, channel: 'group' });
    const write = clickWriterFor(db);
    const good = [click(code, creatorId, productId, sourceId), click(code, creatorId, productId, sourceId, { is_bot: 1 })];
    await write(good);
    const duplicate = click(code, creatorId, productId, sourceId);
    await expect(write([click(code, creatorId, productId, sourceId), duplicate, { ...duplicate }])).rejects.toThrow();
    expect(await linkStats(db.kysely, code)).toMatchObject({ clicks: 2, uniqueClicks: 1 });
  });

  it('never writes clicks into another caller’s transaction, which could still roll back', async () => {
    const { code } = await createLink(db.kysely, { creatorId, productId, itemId: null, channel: 'other' });
    const write = clickWriterFor(db);
    let written: Promise<void> = Promise.resolve();
    await expect(
      db.kysely.transaction().execute(async (tx) => {
        await tx.insertInto('settings').values({ key: 'doomed', value: 'x' }).execute();
        written = write([click(code, creatorId, productId, sourceId)]);
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await written;
    expect((await linkStats(db.kysely, code)).clicks).toBe(1);
  });

  it('lists a creator’s links with counts, by showcase item when asked', async () => {
    const itemId = newId('item');
    const { code } = await createLink(db.kysely, { creatorId, productId, itemId, channel: 'showcase' });
    await clickWriterFor(db)([click(code, creatorId, productId, sourceId, { is_repeat: 1 })]);
    const forItem = await linksOfCreator(db.kysely, creatorId, { itemId });
    expect(forItem).toEqual([expect.objectContaining({ code, itemId, channel: 'showcase', clicks: 1, uniqueClicks: 0, url: `/r/${code}` })]);
    expect((await linksOfCreator(db.kysely, creatorId)).length).toBeGreaterThan(200);
  });

  it('keys IP hashes with one secret, made once and kept', async () => {
    const first = await clickIpSecret(db.kysely);
    expect(first.length).toBe(32);
    expect((await clickIpSecret(db.kysely)).equals(first)).toBe(true);
  });

  it('reads what a redirect needs by code, and the newest links first to warm the cache', async () => {
    const older = await createLink(db.kysely, { creatorId, productId, itemId: null, channel: 'video' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newest = await createLink(db.kysely, { creatorId, productId, itemId: null, channel: 'live' });
    const [target] = await linkTargets(db.kysely, [older.code, 'nonexistent']);
    expect(target).toEqual({ code: older.code, creatorId, productId, sourceId, sourceProductId: 'J1', platform: 'jd', channel: 'video', productUrl: 'https://item.jd.com/1.html', relationId: null });
    expect((await newestLinkTargets(db.kysely, 1)).map((t) => t.code)).toEqual([newest.code]);
  });
});
