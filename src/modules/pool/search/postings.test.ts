import { describe, expect, it } from 'vitest';
import { PendingPostings, TermPostings } from './postings.ts';

/** The highest impact per block of 32 ordinals, computed from scratch over the live postings. */
function expectedMaxima(postings: [number, number][], words: number): number[] {
  const maxima = new Array<number>(words).fill(0);
  for (const [o, impact] of postings) maxima[o >>> 5] = Math.max(maxima[o >>> 5]!, impact);
  return maxima;
}

describe('TermPostings impact bounds', () => {
  it('keeps the highest impact of each block of 32 ordinals once dense, through appends and growth', () => {
    const t = new TermPostings(0, '手机', true);
    const postings: [number, number][] = [
      [1, 40],
      [5, 200],
      [33, 7],
      [70, 90],
    ];
    for (const [o, impact] of postings.slice(0, 2)) t.append(o, impact);
    t.makeDense(3);
    for (const [o, impact] of postings.slice(2)) t.append(o, impact);
    expect([...t.blockMaxImpact!]).toEqual(expectedMaxima(postings, 3));
    t.makeDense(5);
    t.append(140, 3);
    expect([...t.blockMaxImpact!]).toEqual(expectedMaxima([...postings, [140, 3]], 5));
    expect(t.maxImpact).toBe(200);
  });

  it('lowers the bounds to the postings compaction keeps', () => {
    const t = new TermPostings(0, '手机', true);
    for (const [o, impact] of [
      [0, 250],
      [1, 10],
      [40, 120],
    ] as const) {
      t.append(o, impact);
    }
    t.makeDense(2);
    // ordinal 0 dies; 1 -> 0, 40 -> 39
    const remap = Int32Array.from({ length: 41 }, (_, o) => (o === 0 ? -1 : o - 1));
    t.compact(remap, 2);
    expect([...t.blockMaxImpact!]).toEqual([10, 120]);
    expect(t.maxImpact).toBe(120);
  });

  it('keeps no block bounds for a filter term, which has no impacts', () => {
    const t = new TermPostings(0, 'platform:jd', false);
    t.append(3, 0);
    t.makeDense(1);
    expect(t.blockMaxImpact).toBeNull();
    expect(t.maxImpact).toBe(0);
  });
});

describe('PendingPostings', () => {
  it('appends what it recorded term by term, as appending each posting in turn would', () => {
    const terms = () => [new TermPostings(0, '手机', true), new TermPostings(1, '壳', true), new TermPostings(2, 'platform:jd', false), new TermPostings(3, '充电宝', true)];
    const direct = terms();
    const flushed = terms();
    direct[1]!.makeDense(8);
    flushed[1]!.makeDense(8);
    direct[2]!.makeDense(8);
    flushed[2]!.makeDense(8);
    const pending = new PendingPostings();
    let random = 7;
    for (let o = 0; o < 250; o++) {
      for (let id = 0; id < 4; id++) {
        random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
        if (random % 3 === 0) continue;
        const impact = id === 2 ? 0 : 1 + (random % 255);
        direct[id]!.append(o, impact);
        pending.add(id, o, impact);
      }
      if (o % 97 === 0) pending.flushInto(flushed);
    }
    pending.flushInto(flushed);
    for (let id = 0; id < 4; id++) {
      const [a, b] = [direct[id]!, flushed[id]!];
      expect([...b.ordinals().ords.subarray(0, b.ordinals().length)]).toEqual([...a.ordinals().ords.subarray(0, a.ordinals().length)]);
      expect(b.impacts && [...b.impacts.subarray(0, b.length)]).toEqual(a.impacts && [...a.impacts.subarray(0, a.length)]);
      expect([b.docCount, b.maxImpact, b.blockMaxImpact && [...b.blockMaxImpact]]).toEqual([a.docCount, a.maxImpact, a.blockMaxImpact && [...a.blockMaxImpact]]);
    }
  });
});
