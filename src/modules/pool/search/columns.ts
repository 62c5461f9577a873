import { clearBit, grownBits, setBit, wordsFor } from './bitset.ts';
import { IdTable } from './id-table.ts';
import { PRICE_BUCKETS, PRICE_LEVELS, RangeBitsets, RATE_BUCKETS, RATE_LEVELS, SHOP_SCORE_BUCKETS, SHOP_SCORE_LEVELS } from './range-bitsets.ts';
import type { PoolDoc } from './types.ts';

/** Names (platforms, sources, top-level categories) as small integer ids, in order of first sight. */
export class Dictionary {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
}

/**
 * Everything the facets need of a document in one Int32, so that counting a match loads one word:
 * platform id + 1 in bits 0–5 (0: none), the coupon in bit 6, top category id + 1 in bits 7–15 (0:
 * none), source id in bits 16–31. An id too large for its field is stored as the field's all-ones
 * value and read from its own column instead (`topCategory`, `source`), which exist only once such
 * an id has been seen: 8 bytes an ordinal no pool with fewer than 65,535 sources and 510 top-level
 * categories needs.
 */
export const FACET_KEY = {
  platformMask: 0x3f,
  couponShift: 6,
  categoryShift: 7,
  categoryMask: 0x1ff,
  sourceShift: 16,
  sourceMask: 0xffff,
} as const;
const MAX_PLATFORMS = FACET_KEY.platformMask;

/** The facet key's category field (id + 1, 0 for none). */
export function categoryOf(key: number, o: number, topCategory: Int32Array): number {
  const c = (key >>> FACET_KEY.categoryShift) & FACET_KEY.categoryMask;
  return c === FACET_KEY.categoryMask ? topCategory[o]! + 1 : c;
}

export function sourceOf(key: number, o: number, source: Int32Array): number {
  const s = key >>> FACET_KEY.sourceShift;
  return s === FACET_KEY.sourceMask ? source[o]! : s;
}

/**
 * One slot per document ordinal: the filter and sort keys as typed arrays, the live bitset, the
 * range bitsets, and running facet counts over the live documents (which answer a query with no
 * constraint without a scan). Ordinals are handed out in increasing order and never reused until
 * `compact` renumbers the live ones.
 */
export class DocColumns {
  capacity = 0;
  end = 0;
  liveCount = 0;
  /** Product ids by ordinal, and the live ordinal of a product id. */
  readonly ids = new IdTable();
  alive: Int32Array = new Int32Array(0);
  fingerprint = new Float64Array(0);
  finalPrice = new Float64Array(0);
  commission = new Float64Array(0);
  rate = new Float64Array(0);
  sales = new Float64Array(0);
  updatedAt = new Float64Array(0);
  /** NaN when unknown, so that no `>= min` comparison matches it. */
  shopScore = new Float64Array(0);
  facetKey = new Int32Array(0);
  /** Empty until some source id overflows the facet key (see `FACET_KEY`); then per ordinal. */
  source = new Int32Array(0);
  /** Top-level category id, -1 for none; empty until some category id overflows the facet key. */
  topCategory = new Int32Array(0);
  private wideIds = false;
  /**
   * Per sort key, an upper bound of the key over each block of 32 ordinals (one bitset word): a
   * scan skips the key of a match whose whole block cannot reach the current top-k. Raised on
   * every write, never lowered until compaction, so it stays an upper bound.
   */
  readonly blockMax: Record<SortKeyName, BlockMax> = {
    commission: new BlockMax(1),
    rate: new BlockMax(1),
    sales: new BlockMax(1),
    priceDesc: new BlockMax(1),
    priceAsc: new BlockMax(-1),
    newest: new BlockMax(1),
  };
  readonly priceRange = new RangeBitsets(PRICE_BUCKETS, PRICE_LEVELS, 0);
  readonly rateRange = new RangeBitsets(RATE_BUCKETS, RATE_LEVELS, 0);
  readonly shopRange = new RangeBitsets(SHOP_SCORE_BUCKETS, SHOP_SCORE_LEVELS, 0);
  readonly platforms = new Dictionary();
  readonly sources = new Dictionary();
  readonly topCategories = new Dictionary();
  /** Live documents per platform id + 1, source id, top category id + 1, and with a coupon. */
  livePerPlatform: number[] = [];
  livePerSource: number[] = [];
  livePerCategory: number[] = [];
  liveWithCoupon = 0;

  get words(): number {
    return wordsFor(this.capacity);
  }

  /**
   * Makes room for `count` ordinals; true when the capacity (and so the bitset width) changed.
   * Grows by a quarter: every column and bitset (about 115 bytes an ordinal) is sized by the
   * capacity, so growing by half left up to a third of them unused (at 10M products, 14.6M ordinals
   * for 9.8M live); a quarter costs a few more copies while loading.
   */
  reserve(count: number): boolean {
    if (count <= this.capacity) return false;
    const capacity = Math.max(1024, Math.ceil(Math.max(count, this.capacity * 1.25) / 32) * 32);
    const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(a.subarray(0, this.end));
      return next;
    };
    const f64 = (n: number) => new Float64Array(n);
    const i32 = (n: number) => new Int32Array(n);
    this.fingerprint = grow(this.fingerprint, f64);
    this.finalPrice = grow(this.finalPrice, f64);
    this.commission = grow(this.commission, f64);
    this.rate = grow(this.rate, f64);
    this.sales = grow(this.sales, f64);
    this.updatedAt = grow(this.updatedAt, f64);
    this.shopScore = grow(this.shopScore, f64);
    this.facetKey = grow(this.facetKey, i32);
    if (this.wideIds) {
      this.source = grow(this.source, i32);
      this.topCategory = grow(this.topCategory, i32);
    }
    this.capacity = capacity;
    this.alive = grownBits(this.alive, this.words);
    for (const r of [this.priceRange, this.rateRange, this.shopRange]) r.resize(this.words);
    for (const bound of Object.values(this.blockMax)) bound.resize(this.words);
    return true;
  }

  append(doc: PoolDoc, fingerprint: number): number {
    const o = this.end++;
    this.ids.push(doc.productId);
    this.fingerprint[o] = fingerprint;
    const platform = doc.platform === null ? 0 : this.platforms.idOf(doc.platform) + 1;
    if (platform >= MAX_PLATFORMS) throw new RangeError(`more than ${MAX_PLATFORMS - 1} platforms`);
    const top = doc.categoryPath.length === 0 ? -1 : this.topCategories.idOf(doc.categoryPath[0]!);
    const source = this.sources.idOf(doc.sourceId);
    const k = FACET_KEY;
    this.facetKey[o] =
      platform |
      ((doc.hasCoupon ? 1 : 0) << k.couponShift) |
      (Math.min(top + 1, k.categoryMask) << k.categoryShift) |
      (Math.min(source, k.sourceMask) << k.sourceShift);
    if (!this.wideIds && (source >= k.sourceMask || top + 1 >= k.categoryMask)) {
      // only ordinals whose key field is all ones are ever read from these
      this.source = new Int32Array(this.capacity);
      this.topCategory = new Int32Array(this.capacity);
      this.wideIds = true;
    }
    if (this.wideIds) {
      this.source[o] = source;
      this.topCategory[o] = top;
    }
    this.writeValues(o, doc);
    setBit(this.alive, o);
    this.countLive(o, 1);
    return o;
  }

  /** Changes the sort and range keys of a live document in place. */
  updateValues(o: number, doc: PoolDoc): void {
    this.priceRange.remove(o, this.finalPrice[o]!);
    this.rateRange.remove(o, this.rate[o]!);
    if (!Number.isNaN(this.shopScore[o]!)) this.shopRange.remove(o, this.shopScore[o]!);
    this.writeValues(o, doc);
  }

  kill(o: number): void {
    clearBit(this.alive, o);
    this.countLive(o, -1);
    this.ids.remove(o);
  }

  /**
   * Keeps the live documents only, renumbered in their order; returns the map old -> new ordinal
   * (-1: dropped) for the postings to follow.
   */
  compact(): Int32Array {
    const remap = new Int32Array(this.end).fill(-1);
    let next = 0;
    for (let o = 0; o < this.end; o++) if ((this.alive[o >>> 5]! & (1 << (o & 31))) !== 0) remap[o] = next++;
    const move = <T extends Float64Array | Int32Array>(a: T) => {
      for (let o = 0; o < this.end; o++) if (remap[o]! >= 0) a[remap[o]!] = a[o]!;
    };
    for (const a of [this.fingerprint, this.finalPrice, this.commission, this.rate, this.sales, this.updatedAt, this.shopScore]) move(a);
    move(this.facetKey);
    if (this.wideIds) {
      move(this.source);
      move(this.topCategory);
    }
    this.ids.compact(remap);
    this.end = next;
    this.alive = new Int32Array(this.words);
    for (const r of [this.priceRange, this.rateRange, this.shopRange]) r.reset(this.words);
    for (const bound of Object.values(this.blockMax)) bound.reset(this.words);
    for (let o = 0; o < next; o++) {
      setBit(this.alive, o);
      this.addToRanges(o);
    }
    return remap;
  }

  private writeValues(o: number, doc: PoolDoc): void {
    this.finalPrice[o] = doc.finalPriceMinor;
    this.commission[o] = doc.commissionMinor;
    this.rate[o] = doc.rateBps;
    this.sales[o] = doc.sales30d;
    this.updatedAt[o] = doc.updatedAtMs;
    this.shopScore[o] = doc.shopScore ?? NaN;
    this.addToRanges(o);
  }

  private addToRanges(o: number): void {
    this.priceRange.add(o, this.finalPrice[o]!);
    this.rateRange.add(o, this.rate[o]!);
    if (!Number.isNaN(this.shopScore[o]!)) this.shopRange.add(o, this.shopScore[o]!);
    const m = this.blockMax;
    m.commission.raise(o, this.commission[o]!);
    m.rate.raise(o, this.rate[o]!);
    m.sales.raise(o, this.sales[o]!);
    m.priceDesc.raise(o, this.finalPrice[o]!);
    m.priceAsc.raise(o, this.finalPrice[o]!);
    m.newest.raise(o, this.updatedAt[o]!);
  }

  private countLive(o: number, delta: 1 | -1): void {
    const key = this.facetKey[o]!;
    this.liveCount += delta;
    bump(this.livePerPlatform, key & FACET_KEY.platformMask, delta);
    bump(this.livePerCategory, categoryOf(key, o, this.topCategory), delta);
    bump(this.livePerSource, sourceOf(key, o, this.source), delta);
    if ((key >>> FACET_KEY.couponShift) & 1) this.liveWithCoupon += delta;
  }
}

function bump(counts: number[], i: number, delta: number): void {
  counts[i] = (counts[i] ?? 0) + delta;
}

export type SortKeyName = 'commission' | 'rate' | 'sales' | 'priceDesc' | 'priceAsc' | 'newest';

/** Upper bounds of sign x key per block of 32 ordinals (see `DocColumns.blockMax`). */
export class BlockMax {
  max: Float64Array = new Float64Array(0);

  constructor(readonly sign: number) {}

  raise(o: number, value: number): void {
    const v = this.sign * value;
    const w = o >>> 5;
    if (v > this.max[w]!) this.max[w] = v;
  }

  resize(words: number): void {
    const grown = new Float64Array(words).fill(-Infinity);
    grown.set(this.max.subarray(0, Math.min(words, this.max.length)));
    this.max = grown;
  }

  reset(words: number): void {
    this.max = new Float64Array(words).fill(-Infinity);
  }
}
