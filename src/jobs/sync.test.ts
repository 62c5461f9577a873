import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppContext, type AppContext } from '../http/context.ts';
import { loadConfig } from '../core/config.ts';
import { DIALECTS, openTestDb, type TestDb } from '../db/testing.ts';
import { startFakeJd } from '../modules/sources/connectors/fake/jd.ts';
import { startFakePdd } from '../modules/sources/connectors/fake/pdd.ts';
import { startFakeTaobao } from '../modules/sources/connectors/fake/taobao.ts';
import { claimDueSyncs, connectSource } from '../modules/sources/connections.ts';
import { createSource } from '../modules/sources/service.ts';
import { syncSource } from './sync.ts';

const FAKES = { pdd: startFakePdd, jd: startFakeJd, taobao: startFakeTaobao } as const;

describe.each(DIALECTS)('syncing connected platform sources on %s', (dialect) => {
  let db: TestDb;
  let ctx: AppContext;
  beforeAll(async () => {
    db = await openTestDb(dialect);
    ctx = await openAppContext(db, { ...loadConfig({}), databaseUrl: db.url });
  });
  afterAll(async () => {
    await db.close();
  });

  for (const platform of ['pdd', 'jd', 'taobao'] as const) {
    it(`pulls every page of ${platform} through its signed API into the pool`, async () => {
      const fake = await FAKES[platform]({ appKey: 'key-1', appSecret: 'secret-1', items: 45, pageSize: 10 });
      try {
        const source = await createSource(db.kysely, { kind: 'platform', name: platform, platform });
        await connectSource(db.kysely, source, { appKey: 'key-1', appSecret: 'secret-1', baseUrl: fake.url, positionId: '1_2_3', keywords: ['手机'], syncEveryMinutes: 60 }, null);
        const report = await syncSource(db.kysely, ctx.pool, source.id, { minBackoffMs: 1 });
        expect(report.imported + report.rejected.length).toBe(45);
        expect(report.imported).toBeGreaterThan(0);
        const again = await syncSource(db.kysely, ctx.pool, source.id, { minBackoffMs: 1 });
        expect(again).toMatchObject({ imported: 0, updated: report.imported });
        const stored = await db.kysely.selectFrom('products').select(['title', 'status']).where('source_id', '=', source.id).execute();
        expect(stored).toHaveLength(report.imported);
        // Each synced product is findable: as this source's offer or, when another source offers
        // the same product better, as that one (the fakes share one catalogue).
        const found = ctx.pool.index.search({ q: stored[0]!.title, sort: 'relevance', limit: 5 });
        expect(found.total).toBeGreaterThan(0);
      } finally {
        await fake.close();
      }
    });
  }

  it('records a wrong secret on the connection and lands nothing', async () => {
    const fake = await startFakePdd({ appKey: 'key-2', appSecret: 'right', items: 5 });
    try {
      const source = await createSource(db.kysely, { kind: 'platform', name: 'pdd-bad', platform: 'pdd' });
      await connectSource(db.kysely, source, { appKey: 'key-2', appSecret: 'wrong', baseUrl: fake.url, keywords: [], syncEveryMinutes: 60 }, null);
      await expect(syncSource(db.kysely, ctx.pool, source.id, { minBackoffMs: 1 })).rejects.toThrow();
      const connection = await db.kysely.selectFrom('source_connections').selectAll().where('source_id', '=', source.id).executeTakeFirstOrThrow();
      expect(connection.last_sync_error).toMatch(/pdd/);
      expect(await db.kysely.selectFrom('products').select('id').where('source_id', '=', source.id).execute()).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('hands each due sync to exactly one claimant', async () => {
    const now = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const [a, b] = await Promise.all([claimDueSyncs(db.kysely, now), claimDueSyncs(db.kysely, now)]);
    const claimed = [...a, ...b].map((c) => c.source_id);
    expect(claimed.length).toBeGreaterThan(0);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(await claimDueSyncs(db.kysely, now)).toEqual([]);
  });

  it('refuses to connect a platform it has no connector for', async () => {
    const source = await createSource(db.kysely, { kind: 'platform', name: 'mokuai', platform: 'mokuai' });
    await expect(connectSource(db.kysely, source, { appKey: 'k', appSecret: 's', keywords: [], syncEveryMinutes: 60 }, null)).rejects.toMatchObject({ code: 'no_connector' });
  });
});
