import { grownBits } from './bitset.ts';

/**
 * A finer monotonic map of a value to a level 0..255, kept per document in one byte: an edge-bucket
 * candidate is settled by its byte (in L2, unlike the value) unless it shares the level of an end
 * of the range.
 */
export type Leveling = (value: number) => number;

export const PRICE_LEVELS: Leveling = (v) => (v >= 1 ? Math.min(255, 1 + Math.floor(Math.log2(v) * 10)) : 0);
export const RATE_LEVELS: Leveling = (v) => (v >= 0 ? Math.min(255, 1 + Math.floor(v / 50)) : 0);
export const SHOP_SCORE_LEVELS: Leveling = (v) => (v >= 0 ? Math.min(255, 1 + Math.floor(v / 2)) : 0);

/**
 * A monotonic (never decreasing) map of a value to one of `count` buckets, and for each bucket b
 * the least value whose bucket is b or above (-Infinity for 0, +Infinity for `count`).
 */
export interface Bucketing {
  readonly count: number;
  bucket(value: number): number;
  lowerBound(b: number): number;
}

/** Half-octaves of minor units: 1 fen to 2^23 fen (83,886 yuan) in 47 buckets, bucket 0 below 1 fen. */
export const PRICE_BUCKETS: Bucketing = {
  count: 48,
  bucket(value) {
    if (!(value >= 1)) return 0;
    if (value >= 2 ** 23) return 47;
    const v = Math.floor(value);
    const exponent = 31 - Math.clz32(v);
    const half = exponent > 0 ? (v >>> (exponent - 1)) & 1 : 0;
    return 1 + 2 * exponent + half;
  },
  lowerBound(b) {
    if (b <= 0) return -Infinity;
    if (b >= 48) return Infinity;
    if (b <= 2) return b;
    const exponent = (b - 1) >> 1;
    return 2 ** exponent + ((b - 1) & 1) * 2 ** (exponent - 1);
  },
};

/**
 * Fixed steps from 0: `fine` wide below `switchAt`, `coarse` wide above, values of `top` and above
 * in the last bucket. A bucket is one more bit set per document, so the steps are fine only where
 * filters usually cut.
 */
function steppedBuckets(fine: number, switchAt: number, coarse: number, top: number): Bucketing {
  const fineCount = switchAt / fine;
  const last = 1 + fineCount + (top - switchAt) / coarse;
  return {
    count: last + 1,
    bucket(v) {
      if (!(v >= 0)) return 0;
      if (v < switchAt) return 1 + Math.floor(v / fine);
      return Math.min(last, 1 + fineCount + Math.floor((v - switchAt) / coarse));
    },
    lowerBound(b) {
      if (b <= 0) return -Infinity;
      if (b > last) return Infinity;
      if (b <= fineCount) return (b - 1) * fine;
      return switchAt + (b - 1 - fineCount) * coarse;
    },
  };
}

/** Basis points: steps of 1% up to 30%, then of 5% up to 100%. */
export const RATE_BUCKETS = steppedBuckets(100, 3_000, 500, 10_000);

/** Shop score 0–500: steps of 100 up to 400, then of 10. */
export const SHOP_SCORE_BUCKETS = steppedBuckets(100, 400, 10, 500);

/**
 * For one numeric column, bitsets ge[b] = the documents whose value falls in bucket b or above
 * (ge[count] is empty). A range [lo, hi] is then, word by word, a superset `ge[b(lo)] & ~ge[b(hi)+1]`
 * and a sure part `ge[b(lo)+1] & ~ge[b(hi)]`; only documents in the two edge buckets need their
 * value compared. Documents without a value (a null shop score) are in no bitset.
 */
export class RangeBitsets {
  private ge: Int32Array[];
  /** Per document, its value's level. */
  levels: Uint8Array;

  constructor(
    private readonly bucketing: Bucketing,
    private readonly leveling: Leveling,
    words: number,
  ) {
    this.ge = Array.from({ length: bucketing.count + 1 }, () => new Int32Array(words));
    this.levels = new Uint8Array(words * 32);
  }

  add(ordinal: number, value: number): void {
    this.levels[ordinal] = this.leveling(value);
    const top = this.bucketing.bucket(value);
    const w = ordinal >>> 5;
    const bit = 1 << (ordinal & 31);
    for (let b = 0; b <= top; b++) this.ge[b]![w]! |= bit;
  }

  remove(ordinal: number, value: number): void {
    const top = this.bucketing.bucket(value);
    const w = ordinal >>> 5;
    const bit = ~(1 << (ordinal & 31));
    for (let b = 0; b <= top; b++) this.ge[b]![w]! &= bit;
  }

  resize(words: number): void {
    this.ge = this.ge.map((bits) => grownBits(bits, words));
    const levels = new Uint8Array(words * 32);
    levels.set(this.levels.subarray(0, Math.min(levels.length, this.levels.length)));
    this.levels = levels;
  }

  reset(words: number): void {
    this.ge = this.ge.map(() => new Int32Array(words));
    this.levels = new Uint8Array(words * 32);
  }

  /** The word masks of [lo, hi] (either end may be infinite). */
  mask(lo: number, hi: number): RangeMask {
    const { bucket, count, lowerBound } = this.bucketing;
    const loBucket = lo === -Infinity ? 0 : bucket(lo);
    const hiBucket = hi === Infinity ? count - 1 : bucket(hi);
    // an edge bucket wholly inside the range needs no comparisons either
    const sureFrom = lo <= lowerBound(loBucket) ? loBucket : loBucket + 1;
    const sureTo = hi >= lowerBound(hiBucket + 1) ? hiBucket + 1 : hiBucket;
    return {
      lo,
      hi,
      levels: this.levels,
      loLevel: this.leveling(lo),
      hiLevel: this.leveling(hi),
      superFrom: this.ge[loBucket]!,
      superTo: this.ge[hiBucket + 1]!,
      sureFrom: this.ge[Math.min(count, sureFrom)]!,
      sureTo: this.ge[sureTo]!,
      empty: this.ge[count]!,
    };
  }
}

/** In word j: candidates `superFrom[j] & ~superTo[j]`, certainly inside `sureFrom[j] & ~sureTo[j]`. */
export interface RangeMask {
  lo: number;
  hi: number;
  /** Documents' levels, and those of the ends: a level strictly between them is inside the range. */
  levels: Uint8Array;
  loLevel: number;
  hiLevel: number;
  superFrom: Int32Array;
  superTo: Int32Array;
  sureFrom: Int32Array;
  sureTo: Int32Array;
  /** A bitset with no document in it, as wide as the others. */
  empty: Int32Array;
}
