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

  it('forgets the oldest entries beyond its capacity', async () => {
    const targets = new LinkTargets(async () => [], { capacity: 2 });
    targets.prime([target('a', null), target('b', null), target('c', null)]);
    expect(targets.size).toBe(2);
    expect(targets.cached('a')).toBeUndefined();
    expect(targets.cached('c')).toBeDefined();
  });
});
