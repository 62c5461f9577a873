import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakePdd, type FakePddRouter } from '../sources/connectors/fake/pdd.ts';
import type { LinkTarget } from './model.ts';
import { PromotionUrls, type SourceApi } from './promotion-urls.ts';

const CREDENTIALS = { appKey: 'pdd-key', appSecret: 'pdd-secret' };
const CUSTOM = '{"uid":"a1b2c3d4e5f6","sid":"clk_01jdq0000000000000000000ab"}';

describe('promotion URLs made per click', () => {
  let pdd: FakePddRouter;
  let now = 0;
  /** Reads of a connection, and of a creator's position. */
  let loads = 0;
  let positionLoads = 0;
  let promoter: SourceApi | null;
  let creatorPosition: string | null = null;
  const store = {
    connection: async () => {
      loads += 1;
      return promoter;
    },
    position: async () => {
      positionLoads += 1;
      return creatorPosition;
    },
  };
  const urls = (options: { ttlMs?: number } = {}) => new PromotionUrls(store, { now: () => now, refusedForMs: 60_000, ...options });
  const target = (overrides: Partial<LinkTarget> = {}): LinkTarget => ({
    code: 'abc',
    creatorId: 'usr_c',
    productId: 'prd_p',
    sourceId: 'src_pdd',
    sourceProductId: String(pdd.items[0]!.goods_sign),
    platform: 'pdd',
    channel: 'showcase',
    productUrl: null,
    relationId: null,
    ...overrides,
  });

  beforeEach(async () => {
    pdd = await startFakePdd({ ...CREDENTIALS, items: 2 });
    promoter = { ...CREDENTIALS, baseUrl: pdd.url, positionId: '1000001_2000001' };
    creatorPosition = null;
    now = 1_000_000;
    loads = 0;
    positionLoads = 0;
  });
  afterEach(() => pdd.close());

  it('makes the link for the creator’s own position at the source, else the source’s', async () => {
    const promotions = urls();
    await promotions.urlFor(target(), CUSTOM);
    creatorPosition = '1000001_3000001';
    await promotions.urlFor(target({ creatorId: 'usr_other' }), CUSTOM);
    expect(pdd.promotions.map((p) => p.pid)).toEqual(['1000001_2000001', '1000001_3000001']);
    expect([loads, positionLoads]).toEqual([1, 2]); // one connection read for the source, one position read per creator
  });

  it('reads the promoter once per TTL, and asks PDD on every click', async () => {
    const promotions = urls({ ttlMs: 60_000 });
    const first = await promotions.urlFor(target(), CUSTOM);
    const second = await promotions.urlFor(target(), CUSTOM);
    expect(first).toEqual({ kind: 'url', url: pdd.promotions[0]!.url });
    expect(second).toEqual({ kind: 'url', url: pdd.promotions[1]!.url });
    expect(loads).toBe(1);
    now += 60_001;
    await promotions.urlFor(target(), CUSTOM);
    expect(loads).toBe(2);
  });

  it('gives bots the last URL made for the link within ten minutes instead of asking PDD again', async () => {
    const promotions = urls();
    const forBot = await promotions.urlForBot(target(), CUSTOM); // nothing made for the link yet: asked
    expect(pdd.requests).toBe(1);
    const forShopper = await promotions.urlFor(target(), CUSTOM);
    expect(pdd.requests).toBe(2);
    expect(forShopper).not.toEqual(forBot);
    expect(await promotions.urlForBot(target(), CUSTOM)).toEqual(forShopper);
    expect(await promotions.urlForBot(target({ code: 'other' }), CUSTOM)).toMatchObject({ kind: 'url' }); // another link: asked
    expect(pdd.requests).toBe(3);
    now += 10 * 60_000 + 1;
    await promotions.urlForBot(target(), CUSTOM);
    expect(pdd.requests).toBe(4);
  });

  it('skips, without waiting, another platform’s products and a source it read as not connected', async () => {
    const promotions = urls();
    expect(promotions.skips(target({ platform: 'taobao' }))).toBe(true);
    expect(promotions.skips(target())).toBe(false);
    await promotions.urlFor(target(), CUSTOM);
    expect(promotions.skips(target())).toBe(false); // connected
    promoter = null;
    const unconnected = target({ sourceId: 'src_other', platform: 'jd', productUrl: 'https://item.jd.com/1.html' });
    expect(promotions.skips(unconnected)).toBe(false); // not read yet
    expect(await promotions.urlFor(unconnected, 'clk_x')).toMatchObject({ kind: 'none' });
    expect(promotions.skips(unconnected)).toBe(true);
    now += 60_001;
    expect(promotions.skips(unconnected)).toBe(false);
  });

  it('has nothing for a product of another platform, or without a promoter, and asks no one', async () => {
    const promotions = urls();
    expect(await promotions.urlFor(target({ platform: 'jd' }), CUSTOM)).toMatchObject({ kind: 'none' });
    promoter = null;
    expect(await promotions.urlFor(target(), CUSTOM)).toMatchObject({ kind: 'none' });
    expect(pdd.requests).toBe(0);
  });

  it('remembers a product PDD refused for a minute, but not refused credentials', async () => {
    const promotions = urls();
    const refused = target({ sourceProductId: 'E9gone' });
    expect(await promotions.urlFor(refused, CUSTOM)).toMatchObject({ kind: 'none', reason: expect.stringContaining('60001') });
    expect(await promotions.urlFor(refused, CUSTOM)).toMatchObject({ kind: 'none' });
    expect(pdd.requests).toBe(1);
    now += 60_001;
    await promotions.urlFor(refused, CUSTOM);
    expect(pdd.requests).toBe(2);

    promoter = { ...promoter!, appSecret: 'wrong' };
    const wrongCredentials = urls();
    expect(await wrongCredentials.urlFor(target(), CUSTOM)).toMatchObject({ kind: 'none', reason: expect.stringContaining('20004') });
    await wrongCredentials.urlFor(target(), CUSTOM);
    expect(pdd.requests).toBe(4);
  });

  it('is unavailable, and remembers nothing, while PDD throttles or cannot be reached', async () => {
    await pdd.close();
    pdd = await startFakePdd({ ...CREDENTIALS, items: 1, failFirst: { times: 1, kind: 'rate_limit' } });
    promoter = { ...promoter!, baseUrl: pdd.url };
    const promotions = urls();
    expect(await promotions.urlFor(target(), CUSTOM)).toMatchObject({ kind: 'unavailable' });
    expect(await promotions.urlFor(target(), CUSTOM)).toMatchObject({ kind: 'url' });
    promoter = { ...promoter, baseUrl: 'http://127.0.0.1:9/' };
    expect(await urls().urlFor(target(), CUSTOM)).toMatchObject({ kind: 'unavailable' });
  });

  it('gives a shopper the URL made for the same link in the last ten minutes while PDD is unavailable, and nothing for another link', async () => {
    await pdd.close();
    pdd = await startFakePdd({ ...CREDENTIALS, items: 1 });
    promoter = { ...promoter!, baseUrl: pdd.url };
    const outcomes: string[] = [];
    const promotions = new PromotionUrls(store, { now: () => now, onOutcome: (_platform, outcome) => outcomes.push(outcome.kind) });
    const made = await promotions.urlFor(target(), CUSTOM);
    pdd.failWith = 'rate_limit';
    expect(await promotions.urlFor(target(), '{"uid":"f6e5d4c3b2a1","sid":"clk_later"}')).toEqual(made);
    expect(await promotions.urlFor(target({ code: 'other' }), CUSTOM)).toMatchObject({ kind: 'unavailable' });
    expect(outcomes).toEqual(['url', 'unavailable', 'unavailable']); // the platform's answers, as they were
    now += 10 * 60_000 + 1;
    expect(await promotions.urlFor(target(), CUSTOM)).toMatchObject({ kind: 'unavailable' });
  });

  it('gives a throttled source’s links their recent URL without asking PDD for two seconds, and asks for a link with none', async () => {
    await pdd.close();
    pdd = await startFakePdd({ ...CREDENTIALS, items: 1 });
    promoter = { ...promoter!, baseUrl: pdd.url };
    let reused = 0;
    const promotions = new PromotionUrls(store, { now: () => now, onReused: () => (reused += 1) });
    const made = await promotions.urlFor(target(), CUSTOM);
    pdd.failWith = 'rate_limit';
    expect(await promotions.urlFor(target(), CUSTOM)).toEqual(made); // throttled: PDD was asked
    const asked = pdd.requests;
    now += 1_000;
    expect(await promotions.urlFor(target(), CUSTOM)).toEqual(made);
    expect(pdd.requests).toBe(asked); // not asked while the throttle lasts
    expect(await promotions.urlFor(target({ code: 'new' }), CUSTOM)).toMatchObject({ kind: 'unavailable' });
    expect(pdd.requests).toBe(asked + 1); // a link with no recent URL is asked for
    expect(reused).toBe(2);
    pdd.failWith = null;
    now += 2_001;
    const after = await promotions.urlFor(target(), CUSTOM);
    expect(after).toMatchObject({ kind: 'url' });
    expect(after).not.toEqual(made);
    expect(pdd.requests).toBe(asked + 2);
  });

  it('gives no URL made under a creator’s old position once their positions change', async () => {
    const promotions = urls();
    await promotions.urlFor(target(), CUSTOM);
    expect(await promotions.urlForBot(target(), CUSTOM)).toMatchObject({ kind: 'url' });
    const asked = pdd.requests;
    creatorPosition = '1000001_3000001';
    promotions.forgetPositionsOf('usr_other', null); // another creator's: this link's URL stays
    await promotions.urlForBot(target(), CUSTOM);
    expect(pdd.requests).toBe(asked);
    promotions.forgetPositionsOf('usr_c', 'src_pdd');
    await promotions.urlForBot(target(), CUSTOM); // made anew, under the new position
    expect(pdd.requests).toBe(asked + 1);
    expect(pdd.promotions.at(-1)!.pid).toBe('1000001_3000001');
  });

  it('is unavailable when the promoter cannot be read, and reads it again on the next click', async () => {
    let failing = true;
    const promotions = new PromotionUrls({
      ...store,
      connection: async () => {
        loads += 1;
        if (failing) throw new Error('database gone');
        return promoter;
      },
    });
    expect(await promotions.urlFor(target(), CUSTOM)).toMatchObject({ kind: 'unavailable' });
    failing = false;
    expect(await promotions.urlFor(target(), CUSTOM)).toMatchObject({ kind: 'url' });
    expect(loads).toBe(2);
  });
});
