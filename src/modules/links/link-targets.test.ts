import { describe, expect, it } from 'vitest';
import { LinkTargets } from './link-targets.ts';
import type { LinkTarget } from './model.ts';

function target(code: string, productUrl: string | null): LinkTarget {
  return { code, creatorId: 'usr', productId: 'prd', sourceId: 'src', sourceProductId: 'J1', platform: 'jd', channel: 'showcase', productUrl, relationId: null };
}

describe('the link target cache', () => {
  it('reads the misses of one turn of the event loop in one query', async () => {
    const queries: string[][] = [];
    const targets = new LinkTargets(async (codes) => {
      queries.push([...codes]);
      return codes.filter((c) => c !== 'nope').map((c) => target(c, `https://item.jd.com/${c}.html`));
    });
    const [a, b, missing] = await Promise.all([targets.resolve('aaa'), targets.resolve('bbb'), targets.resolve('nope')]);
    expect(queries).toEqual([['aaa', 'bbb', 'nope']]);
    expect(a?.template?.head).toBe('https://item.jd.com/aaa.html?subUnionId=');
    expect(b?.target.code).toBe('bbb');
    expect(missing).toBeNull();
    expect(targets.cached('aaa')).toBe(a);
    expect(queries).toHaveLength(1);
  });

  it('serves a stale entry while it re-reads it in the background, so a changed product URL shows up', async () => {
    let now = 0;
    let url = 'https://shop.example/old';
    const targets = new LinkTargets(async (codes) => codes.map((c) => target(c, url)), { ttlMs: 1000, now: () => now });
    await targets.resolve('abc');
    url = 'https://shop.example/new';
    now = 1500;
    expect(targets.cached('abc')?.target.productUrl).toBe('https://shop.example/old');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(targets.cached('abc')?.target.productUrl).toBe('https://shop.example/new');
  });

  it('treats a product without a usable URL as having none', async () => {
    const targets = new LinkTargets(async (codes) => [target(codes[0]!, null), target(codes[1]!, 'not a url')]);
    const [none, bad] = await Promise.all([targets.resolve('x1'), targets.resolve('x2')]);
    expect(none?.template).toBeNull();
    expect(bad?.template).toBeNull();
  });

  it('can be primed with links read at start, answering them without a query', async () => {
    const queries: string[][] = [];
    const targets = new LinkTargets(async (codes) => {
      queries.push([...codes]);
      return [];
    });
    targets.prime([target('warm1', 'https://shop.example/1'), target('warm2', null)]);
    expect(targets.size).toBe(2);
    expect((await targets.resolve('warm1'))?.template?.head).toBe('https://shop.example/1?subUnionId=');
    expect(queries).toEqual([]);
  });

  it('forgets a creator’s links (at one source, or all), so the next redirect reads them again', async () => {
    const queries: string[][] = [];
    const targets = new LinkTargets(async (codes) => {
      queries.push([...codes]);
      return [];
    });
    const of = (code: string, creatorId: string, sourceId: string): LinkTarget => ({ ...target(code, null), creatorId, sourceId });
    targets.prime([of('a1', 'usr_a', 'src_1'), of('a2', 'usr_a', 'src_2'), of('b1', 'usr_b', 'src_1')]);
    targets.forgetCreator('usr_a', 'src_1');
    expect([targets.cached('a1'), targets.cached('a2'), targets.cached('b1')].map((hit) => hit?.target.code)).toEqual([undefined, 'a2', 'b1']);
    targets.forgetCreator('usr_a', null);
    expect(targets.cached('a2')).toBeUndefined();
    expect(targets.cached('b1')).toBeDefined();
    expect(queries).toEqual([]);
  });

  it('reads again the links it was reading when a creator’s links were forgotten, so it keeps nothing from before', async () => {
    let relationId: string | null = null;
    const reads: Array<() => void> = [];
    const targets = new LinkTargets(async (codes) => {
      const read = codes.map((c) => ({ ...target(c, 'https://uland.taobao.com/coupon/edetail?e=x'), platform: 'taobao', relationId }));
      await new Promise<void>((resolve) => reads.push(resolve));
      return read;
    });
    const resolved = targets.resolve('tb1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(reads).toHaveLength(1); // read before the relation id was recorded, and not answered yet
    relationId = '2712345601';
    targets.forgetCreator('usr', 'src');
    reads.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(reads).toHaveLength(1);
    reads.shift()!();
    expect((await resolved)?.target.relationId).toBe('2712345601');
  });

  it('forgets the oldest entries beyond its capacity', async () => {
    const targets = new LinkTargets(async () => [], { capacity: 2 });
    targets.prime([target('a', null), target('b', null), target('c', null)]);
    expect(targets.size).toBe(2);
    expect(targets.cached('a')).toBeUndefined();
    expect(targets.cached('c')).toBeDefined();
  });
});
