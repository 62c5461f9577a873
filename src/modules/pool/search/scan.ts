import { wordsFor } from './bitset.ts';
import { CATEGORY_SHIFT, COUPON_SHIFT, type DocColumns, PLATFORM_MASK } from './columns.ts';
import { gallop } from './postings.ts';
import type { RangeMask } from './range-bitsets.ts';
import type { ScanList } from './scan-lists.ts';
import { TopK } from './top-k.ts';

export interface RangeFilter {
  values: Float64Array;
  mask: RangeMask;
}

/** The last document of the previous page, in the query's order. */
export interface After {
  primary: number;
  secondary: number;
  productId: string;
}

export interface ScanSpec {
  /** Groups every match belongs to, shortest first; none: every live document. */
  required: ScanList[];
  /** Groups whose contributions sum to the relevance score (empty unless sorting by relevance). */
  scoring: ScanList[];
  ranges: RangeFilter[];
  relevance: boolean;
  /** The sort column and its direction (ignored for relevance, which sorts by score then commission). */
  keys: Float64Array;
  sign: number;
  after: After | null;
  limit: number;
  /** False: the caller knows the facets already (a query with no constraint). */
  countFacets: boolean;
  /** Drive the scan by ANDing bitsets word by word instead of walking the shortest list. */
  bitsetScan: boolean;
}

export interface ScanResult {
  total: number;
  /** Matches after the cursor: more than `limit` means there is a next page. */
  remaining: number;
  platformCounts: Int32Array;
  categoryCounts: Int32Array;
  sourceCounts: Int32Array;
  withCoupon: number;
  /** False: the facet counts were not taken (see `ScanSpec.countFacets`). */
  facetsCounted: boolean;
  top: TopK;
}

/**
 * Visits every match once — to count it and its facets, and to offer it to the top-k — either by
 * walking the shortest group's postings and testing the others (bitset or galloping), or, when
 * every group is large, by ANDing the groups' bitsets, the live bitset and the range bitsets word
 * by word and comparing values only in the edge buckets of the ranges.
 */
export function scan(cols: DocColumns, spec: ScanSpec): ScanResult {
  const s = new Scan(cols, spec);
  if (spec.bitsetScan || spec.required.length === 0) s.byBitsets();
  else s.byPostings();
  return {
    total: s.total,
    remaining: s.remaining,
    platformCounts: s.platformCounts,
    categoryCounts: s.categoryCounts,
    sourceCounts: s.sourceCounts,
    withCoupon: s.withCoupon,
    facetsCounted: spec.countFacets,
    top: s.top,
  };
}

class Scan {
  total = 0;
  remaining = 0;
  withCoupon = 0;
  readonly platformCounts: Int32Array;
  readonly categoryCounts: Int32Array;
  readonly sourceCounts: Int32Array;
  readonly top: TopK;
  private readonly alive: Int32Array;
  private readonly facetKey: Int32Array;
  private readonly source: Int32Array;
  private readonly commission: Float64Array;
  private readonly productIds: readonly (string | undefined)[];
  private readonly countFacets: boolean;
  private readonly relevance: boolean;
  private readonly keys: Float64Array;
  private readonly sign: number;
  private readonly hasAfter: boolean;
  private readonly afterPrimary: number;
  private readonly afterSecondary: number;
  private readonly afterId: string;

  constructor(
    private readonly cols: DocColumns,
    private readonly spec: ScanSpec,
  ) {
    this.platformCounts = new Int32Array(cols.platforms.names.length + 1);
    this.categoryCounts = new Int32Array(cols.topCategories.names.length + 1);
    this.sourceCounts = new Int32Array(cols.sources.names.length);
    this.top = new TopK(spec.limit, cols.productIds);
    this.alive = cols.alive;
    this.facetKey = cols.facetKey;
    this.source = cols.source;
    this.commission = cols.commission;
    this.productIds = cols.productIds;
    this.countFacets = spec.countFacets;
    this.relevance = spec.relevance;
    this.keys = spec.keys;
    this.sign = spec.sign;
    this.hasAfter = spec.after !== null;
    this.afterPrimary = spec.after?.primary ?? 0;
    this.afterSecondary = spec.after?.secondary ?? 0;
    this.afterId = spec.after?.productId ?? '';
  }

  byPostings(): void {
    const [driver, ...others] = this.spec.required;
    const { ranges } = this.spec;
    const alive = this.alive;
    const ords = driver!.ords!;
    const n = driver!.length;
    next: for (let i = 0; i < n; i++) {
      const o = ords[i]!;
      if ((alive[o >>> 5]! & (1 << (o & 31))) === 0) continue;
      for (let g = 0; g < others.length; g++) if (!contains(others[g]!, o)) continue next;
      for (let r = 0; r < ranges.length; r++) {
        const range = ranges[r]!;
        const v = range.values[o]!;
        if (!(v >= range.mask.lo && v <= range.mask.hi)) continue next;
      }
      this.accept(o);
    }
  }

  byBitsets(): void {
    const { required, ranges } = this.spec;
    const streams = required.map((l) => l.bits!);
    const alive = this.alive;
    const words = wordsFor(this.cols.end);
    const streamCount = streams.length;
    const rangeCount = ranges.length;
    for (let j = 0; j < words; j++) {
      let w = alive[j]!;
      for (let g = 0; g < streamCount && w !== 0; g++) w &= streams[g]![j]!;
      if (w === 0) continue;
      let sure = w;
      for (let r = 0; r < rangeCount; r++) {
        const m = ranges[r]!.mask;
        w &= m.superFrom[j]! & ~m.superTo[j]!;
        sure &= m.sureFrom[j]! & ~m.sureTo[j]!;
      }
      const base = j << 5;
      while (w !== 0) {
        const bit = w & -w;
        w ^= bit;
        const o = base + 31 - Math.clz32(bit);
        if ((sure & bit) === 0 && !this.inRanges(o)) continue;
        this.accept(o);
      }
    }
  }

  private inRanges(o: number): boolean {
    const ranges = this.spec.ranges;
    for (let r = 0; r < ranges.length; r++) {
      const range = ranges[r]!;
      const v = range.values[o]!;
      if (!(v >= range.mask.lo && v <= range.mask.hi)) return false;
    }
    return true;
  }

  private accept(o: number): void {
    this.total++;
    if (this.countFacets) {
      const key = this.facetKey[o]!;
      this.platformCounts[key & PLATFORM_MASK]!++;
      this.categoryCounts[key >>> CATEGORY_SHIFT]!++;
      this.sourceCounts[this.source[o]!]!++;
      this.withCoupon += (key >>> COUPON_SHIFT) & 1;
    }
    let primary: number;
    let secondary: number;
    if (this.relevance) {
      primary = this.score(o);
      secondary = this.commission[o]!;
    } else {
      primary = this.sign * this.keys[o]!;
      secondary = 0;
    }
    if (this.hasAfter) {
      if (primary > this.afterPrimary) return;
      if (primary === this.afterPrimary) {
        if (secondary > this.afterSecondary) return;
        if (secondary === this.afterSecondary && this.productIds[o]! <= this.afterId) return;
      }
    }
    this.remaining++;
    this.top.offer(primary, secondary, o);
  }

  private score(o: number): number {
    const scoring = this.spec.scoring;
    let total = 0;
    for (let g = 0; g < scoring.length; g++) {
      const list = scoring[g]!;
      const ords = list.ords!;
      const p = gallop(ords, list.length, list.pos, o);
      list.pos = p;
      if (p < list.length && ords[p] === o) {
        total += list.contrib !== null ? list.contrib[p]! : list.weight * list.impacts![p]!;
      }
    }
    return total;
  }
}

/** Is ordinal `o` in the list? Calls must come in ascending `o` (the galloping cursor only moves forward). */
function contains(list: ScanList, o: number): boolean {
  if (list.bits !== null) return (list.bits[o >>> 5]! & (1 << (o & 31))) !== 0;
  if (list.members !== null) {
    for (let m = 0; m < list.members.length; m++) if (contains(list.members[m]!, o)) return true;
    return false;
  }
  const ords = list.ords!;
  const p = gallop(ords, list.length, list.pos, o);
  list.pos = p;
  return p < list.length && ords[p] === o;
}

/** Does any live document belong to the driver and to every member list? Stops at the first. */
export function anyLiveMatch(alive: Int32Array, driver: ScanList, members: ScanList[]): boolean {
  const ords = driver.ords!;
  next: for (let i = 0; i < driver.length; i++) {
    const o = ords[i]!;
    if ((alive[o >>> 5]! & (1 << (o & 31))) === 0) continue;
    for (let g = 0; g < members.length; g++) if (!contains(members[g]!, o)) continue next;
    return true;
  }
  return false;
}
