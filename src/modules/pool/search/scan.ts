import { wordsFor } from './bitset.ts';
import { categoryOf, type DocColumns, FACET_KEY, sourceOf } from './columns.ts';
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
  /** Upper bounds of sign x key per block of 32 ordinals. */
  blockMax: Float64Array;
  after: After | null;
  limit: number;
  /** False: the caller knows the facets already (a query with no constraint, or counted before). */
  countFacets: boolean;
  /**
   * The number of matches when the caller knows it (counted by an earlier scan of the same
   * constraints), else -1. A first page then needs only the top-k, and the bitset scan passes over
   * whole blocks whose bound (of the sort key, or of the score) cannot reach it without reading
   * their bitsets.
   */
  knownTotal: number;
  /** Drive the scan by ANDing bitsets word by word instead of walking the shortest list. */
  bitsetScan: boolean;
  /** Two bitsets of scratch, for combining the ranges in a bitset scan. */
  rangeScratch: () => [Int32Array, Int32Array];
}

export interface ScanResult {
  total: number;
  /** More than `limit` matches come after the cursor: there is a next page. */
  hasMore: boolean;
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
  // the galloping cursors start over: one query may scan the same lists more than once
  for (const list of [...spec.required, ...spec.scoring]) rewind(list);
  const s = new Scan(cols, spec);
  if (spec.bitsetScan || spec.required.length === 0) s.byBitsets();
  else s.byPostings();
  const known = s.skipsBlocks;
  return {
    total: known ? spec.knownTotal : s.total,
    hasMore: known ? spec.knownTotal > spec.limit : s.remaining > spec.limit || s.skipped,
    platformCounts: s.platformCounts,
    categoryCounts: s.categoryCounts,
    sourceCounts: s.sourceCounts,
    withCoupon: s.withCoupon,
    facetsCounted: spec.countFacets,
    top: s.top,
  };
}

/** Matches are gathered in batches and then counted and ranked in tight loops, one concern per loop. */
const BATCH = 4096;
/** Shared by every scan: scans run one at a time and never nest. */
const BATCH_BUFFER = new Int32Array(2 * BATCH);
const UNSURE_BUFFER = new Int32Array(BATCH);
let SCORE_BOUNDS = new Float64Array(0);

class Scan {
  total = 0;
  /** Matches after the cursor that were offered to the top-k… */
  remaining = 0;
  /** …and whether any were passed over because their block could not reach it (so more remain). */
  skipped = false;
  withCoupon = 0;
  readonly platformCounts: Int32Array;
  readonly categoryCounts: Int32Array;
  readonly sourceCounts: Int32Array;
  readonly top: TopK;
  /** Matches to count and rank; room for a batch of unsure ones that turn out inside the ranges. */
  private readonly batch = BATCH_BUFFER;
  private size = 0;
  /** Candidates whose values must still be compared with the ranges: done a batch at a time, so that the loads overlap. */
  private readonly unsure = UNSURE_BUFFER;
  private unsureSize = 0;
  private readonly rangeValues: Float64Array[];
  private readonly rangeLo: Float64Array;
  private readonly rangeHi: Float64Array;
  private readonly rangeLevels: Uint8Array[];
  private readonly loLevels: Int32Array;
  private readonly hiLevels: Int32Array;

  /** Set when blocks are passed over unread (see `ScanSpec.knownTotal`): `total` then counts only the matches read. */
  readonly skipsBlocks: boolean;

  constructor(
    private readonly cols: DocColumns,
    private readonly spec: ScanSpec,
  ) {
    this.skipsBlocks = spec.knownTotal >= 0 && spec.after === null && !spec.countFacets;
    this.platformCounts = new Int32Array(cols.platforms.names.length + 1);
    this.categoryCounts = new Int32Array(cols.topCategories.names.length + 1);
    this.sourceCounts = new Int32Array(cols.sources.names.length);
    this.top = new TopK(spec.limit, cols.ids);
    this.rangeValues = spec.ranges.map((r) => r.values);
    this.rangeLo = Float64Array.from(spec.ranges, (r) => r.mask.lo);
    this.rangeHi = Float64Array.from(spec.ranges, (r) => r.mask.hi);
    this.rangeLevels = spec.ranges.map((r) => r.mask.levels);
    this.loLevels = Int32Array.from(spec.ranges, (r) => r.mask.loLevel);
    this.hiLevels = Int32Array.from(spec.ranges, (r) => r.mask.hiLevel);
  }

  byPostings(): void {
    const [driver, ...others] = this.spec.required;
    const masks = this.spec.ranges.map((r) => r.mask);
    const alive = this.cols.alive;
    const ords = driver!.ords!;
    const n = driver!.length;
    const batch = this.batch;
    next: for (let i = 0; i < n; i++) {
      const o = ords[i]!;
      const j = o >>> 5;
      const bit = 1 << (o & 31);
      if ((alive[j]! & bit) === 0) continue;
      for (let g = 0; g < others.length; g++) if (!contains(others[g]!, o)) continue next;
      // the range bitsets settle most candidates without loading their values
      let sure = true;
      for (let r = 0; r < masks.length; r++) {
        const m = masks[r]!;
        if ((m.superFrom[j]! & ~m.superTo[j]! & bit) === 0) continue next;
        if ((m.sureFrom[j]! & ~m.sureTo[j]! & bit) === 0) sure = false;
      }
      if (sure) batch[this.size++] = o;
      else this.unsure[this.unsureSize++] = o;
      if (this.size === BATCH || this.unsureSize === BATCH) this.flush();
    }
    this.flush();
  }

  byBitsets(): void {
    const { required, ranges } = this.spec;
    const alive = this.cols.alive;
    const words = wordsFor(this.cols.end);
    const a = required[0]?.bits ?? alive;
    const b = required[1]?.bits ?? alive;
    const rest = required.slice(2).map((l) => l.bits!);
    // the score's bounds cost a pass over every word: worth it only when the matches outnumber the words
    const skips = this.skipsBlocks && (!this.spec.relevance || this.spec.knownTotal > words);
    const bound = skips && this.spec.relevance ? this.scoreBounds(words) : this.spec.blockMax;
    // -Infinity: no block is passed over
    const worst = () => (skips ? this.top.worstPrimary : -Infinity);
    if (ranges.length === 0) {
      for (let j = 0; j < words; this.flush()) {
        j = wordsWithoutRanges(j, words, alive, a, b, rest, bound, worst(), this.batch, this.size);
        this.size = filled.sure;
      }
      return;
    }
    let first: RangeMask;
    let second: RangeMask;
    if (ranges.length <= 2) {
      first = ranges[0]!.mask;
      // with one range, the second is "every live document, less none"
      second = ranges[1]?.mask ?? { ...first, superFrom: alive, superTo: first.empty, sureFrom: alive, sureTo: first.empty };
    } else {
      const [possible, certain] = combineRanges(ranges, words, this.spec.rangeScratch());
      const none = ranges[0]!.mask.empty;
      first = { ...ranges[0]!.mask, superFrom: possible, superTo: none, sureFrom: certain, sureTo: none };
      second = { ...first, superFrom: alive, sureFrom: alive };
    }
    for (let j = 0; j < words; this.flush()) {
      j = wordsWithTwoRanges(j, words, alive, a, b, rest, bound, worst(), first, second, this.batch, this.size, this.unsure, this.unsureSize);
      this.size = filled.sure;
      this.unsureSize = filled.unsure;
    }
  }

  /**
   * Moves the unsure candidates inside every range to the batch: by their level bytes, and by their
   * values only when a level is that of an end of a range.
   */
  private keepInRanges(): void {
    const { rangeValues, rangeLo, rangeHi, rangeLevels, loLevels, hiLevels, unsure, batch } = this;
    let size = this.size;
    for (let i = 0; i < this.unsureSize; i++) {
      const o = unsure[i]!;
      let inside = 1;
      let edge = 0;
      for (let r = 0; r < rangeLevels.length; r++) {
        const level = rangeLevels[r]![o]!;
        inside &= +(level >= loLevels[r]!) & +(level <= hiLevels[r]!);
        edge |= +(level === loLevels[r]!) | +(level === hiLevels[r]!);
      }
      if (inside === 1 && edge === 1) {
        for (let r = 0; r < rangeValues.length; r++) {
          const v = rangeValues[r]![o]!;
          inside &= +(v >= rangeLo[r]!) & +(v <= rangeHi[r]!);
        }
      }
      batch[size] = o;
      size += inside;
    }
    this.size = size;
    this.unsureSize = 0;
  }

  private flush(): void {
    if (this.unsureSize > 0) this.keepInRanges();
    const n = this.size;
    if (n === 0) return;
    this.size = 0;
    this.total += n;
    if (this.spec.countFacets) this.countFacets(n);
    if (this.spec.relevance) this.rankByScore(n);
    else this.rankByKey(n);
  }

  private countFacets(n: number): void {
    const { facetKey, source, topCategory } = this.cols;
    this.withCoupon += countFacetBatch(this.batch, n, facetKey, source, topCategory, this.platformCounts, this.categoryCounts, this.sourceCounts);
  }

  private rankByKey(n: number): void {
    const { keys, sign, after } = this.spec;
    if (after === null) {
      this.remaining += n;
      if (rankBatchByKey(this.batch, n, keys, sign, this.spec.blockMax, this.top)) this.skipped = true;
      return;
    }
    const ids = this.cols.ids;
    const top = this.top;
    const blockMax = this.spec.blockMax;
    let worst = top.worstPrimary;
    for (let i = 0; i < n; i++) {
      const o = this.batch[i]!;
      // below the worst kept, which is itself after the cursor: after the cursor too, and out
      if (blockMax[o >>> 5]! < worst) {
        this.skipped = true;
        continue;
      }
      const primary = sign * keys[o]!;
      if (primary > after.primary || (primary === after.primary && ids.atOrBefore(o, after.productId))) continue;
      this.remaining++;
      if (primary < worst) continue;
      top.offer(primary, 0, o);
      worst = top.worstPrimary;
    }
  }

  /**
   * Offers a batch to the top-k by relevance. A match whose block's score bound (the scoring lists'
   * block maxima) cannot reach the worst kept score is passed over without looking its score up.
   */
  private rankByScore(n: number): void {
    const { batch, top } = this;
    const { after } = this.spec;
    const { commission, ids } = this.cols;
    let worst = top.worstPrimary;
    let boundWord = -1;
    let bound = Infinity;
    for (let i = 0; i < n; i++) {
      const o = batch[i]!;
      if (o >>> 5 !== boundWord) {
        boundWord = o >>> 5;
        bound = this.scoreBound(boundWord);
      }
      if (bound < worst) {
        this.skipped = true;
        continue;
      }
      const primary = this.score(o);
      if (after !== null) {
        if (primary > after.primary) continue;
        if (primary === after.primary) {
          const secondary = commission[o]!;
          if (secondary > after.secondary) continue;
          if (secondary === after.secondary && ids.atOrBefore(o, after.productId)) continue;
        }
      }
      this.remaining++;
      if (primary < worst) continue;
      top.offer(primary, commission[o]!, o);
      worst = top.worstPrimary;
    }
  }

  /** `scoreBound` of every block, for the word loop (in a buffer shared by every scan). */
  private scoreBounds(words: number): Float64Array {
    if (SCORE_BOUNDS.length < words) SCORE_BOUNDS = new Float64Array(Math.ceil(words * 1.25));
    for (let j = 0; j < words; j++) SCORE_BOUNDS[j] = this.scoreBound(j);
    return SCORE_BOUNDS;
  }

  /** The highest score a document in block `word` (of 32 ordinals) can have. */
  private scoreBound(word: number): number {
    const scoring = this.spec.scoring;
    let bound = 0;
    for (let g = 0; g < scoring.length; g++) {
      const list = scoring[g]!;
      bound += list.blockMax !== null ? list.weight * list.blockMax[word]! : list.maxContrib;
    }
    return bound;
  }

  private score(o: number): number {
    const scoring = this.spec.scoring;
    let total = 0;
    for (let g = 0; g < scoring.length; g++) {
      const list = scoring[g]!;
      const ords = list.ords!;
      const length = list.length;
      let p = list.pos;
      // a batch is ascending in two runs (sure matches, then those checked against the ranges)
      if (p > 0 && ords[p - 1]! >= o) p = 0;
      // most lookups land on the next posting or the one after; gallop otherwise
      if (p < length && ords[p]! < o && ++p < length && ords[p]! < o) p = gallop(ords, length, p, o);
      list.pos = p;
      if (p < length && ords[p] === o) total += list.contrib !== null ? list.contrib[p]! : list.weight * list.impacts![p]!;
    }
    return total;
  }
}

/**
 * How far a word loop filled the buffers. The loops are free functions that stop when a buffer is
 * nearly full and return the next word, rather than methods that flush inside the loop: a flush
 * branch the optimiser had not seen taken made V8 deoptimise the loop on every query.
 */
const filled = { sure: 0, unsure: 0 };

/**
 * ANDs the groups' bitsets with the live one from word `from` on, writing matches to `batch`;
 * returns the next word. A word whose `bound` is below `worst` is not read at all.
 */
function wordsWithoutRanges(
  from: number,
  words: number,
  alive: Int32Array,
  a: Int32Array,
  b: Int32Array,
  rest: Int32Array[],
  bound: Float64Array,
  worst: number,
  batch: Int32Array,
  size: number,
): number {
  let j = from;
  for (; j < words && size <= BATCH - 32; j++) {
    if (worst !== -Infinity && bound[j]! < worst) continue;
    let w = alive[j]! & a[j]! & b[j]!;
    for (let g = 0; g < rest.length && w !== 0; g++) w &= rest[g]![j]!;
    const base = j << 5;
    while (w !== 0) {
      const bit = w & -w;
      w ^= bit;
      batch[size++] = base + 31 - Math.clz32(bit);
    }
  }
  filled.sure = size;
  return j;
}

/**
 * Like `wordsWithoutRanges`, also ANDing two ranges' bitsets in the same pass (more ranges are
 * combined into one beforehand): matches in the ranges' sure part go to `batch`, those in an edge
 * bucket to `unsure`, for their values to be compared.
 */
function wordsWithTwoRanges(
  from: number,
  words: number,
  alive: Int32Array,
  a: Int32Array,
  b: Int32Array,
  rest: Int32Array[],
  bound: Float64Array,
  worst: number,
  first: RangeMask,
  second: RangeMask,
  batch: Int32Array,
  size: number,
  unsure: Int32Array,
  count: number,
): number {
  const { superFrom: p1, superTo: q1, sureFrom: s1, sureTo: t1 } = first;
  const { superFrom: p2, superTo: q2, sureFrom: s2, sureTo: t2 } = second;
  let j = from;
  for (; j < words && size <= BATCH - 32 && count <= BATCH - 32; j++) {
    if (worst !== -Infinity && bound[j]! < worst) continue;
    let w = alive[j]! & a[j]! & b[j]!;
    for (let g = 0; g < rest.length && w !== 0; g++) w &= rest[g]![j]!;
    if (w === 0) continue;
    w &= p1[j]! & ~q1[j]! & p2[j]! & ~q2[j]!;
    if (w === 0) continue;
    let sure = w & s1[j]! & ~t1[j]! & s2[j]! & ~t2[j]!;
    let edge = w ^ sure;
    const base = j << 5;
    while (sure !== 0) {
      const bit = sure & -sure;
      sure ^= bit;
      batch[size++] = base + 31 - Math.clz32(bit);
    }
    while (edge !== 0) {
      const bit = edge & -edge;
      edge ^= bit;
      unsure[count++] = base + 31 - Math.clz32(bit);
    }
  }
  filled.sure = size;
  filled.unsure = count;
  return j;
}

/** The ranges ANDed into two bitsets: documents possibly inside all of them, and certainly inside. */
function combineRanges(ranges: RangeFilter[], words: number, [possible, sure]: [Int32Array, Int32Array]): [Int32Array, Int32Array] {
  possible.fill(-1, 0, words);
  sure.fill(-1, 0, words);
  for (const { mask } of ranges) {
    const { superFrom, superTo, sureFrom, sureTo } = mask;
    for (let j = 0; j < words; j++) {
      possible[j]! &= superFrom[j]! & ~superTo[j]!;
      sure[j]! &= sureFrom[j]! & ~sureTo[j]!;
    }
  }
  return [possible, sure];
}

/** Counts the facets of a batch of matches; returns how many have a coupon. */
function countFacetBatch(
  batch: Int32Array,
  n: number,
  facetKey: Int32Array,
  source: Int32Array,
  topCategory: Int32Array,
  platforms: Int32Array,
  categories: Int32Array,
  sources: Int32Array,
): number {
  let withCoupon = 0;
  for (let i = 0; i < n; i++) {
    const o = batch[i]!;
    const key = facetKey[o]!;
    platforms[key & FACET_KEY.platformMask]!++;
    withCoupon += (key >>> FACET_KEY.couponShift) & 1;
    categories[categoryOf(key, o, topCategory)]!++;
    sources[sourceOf(key, o, source)]!++;
  }
  return withCoupon;
}

/**
 * Offers a batch of matches to the top-k by one sort column. Most cannot enter: their block's
 * bound already says so (no load of the key at all), or one comparison does. Returns whether any
 * was passed over on its block's bound.
 */
function rankBatchByKey(batch: Int32Array, n: number, keys: Float64Array, sign: number, blockMax: Float64Array, top: TopK): boolean {
  let worst = top.worstPrimary;
  let skipped = false;
  for (let i = 0; i < n; i++) {
    const o = batch[i]!;
    if (blockMax[o >>> 5]! < worst) {
      skipped = true;
      continue;
    }
    const primary = sign * keys[o]!;
    if (primary < worst) continue;
    top.offer(primary, 0, o);
    worst = top.worstPrimary;
  }
  return skipped;
}

function rewind(list: ScanList): void {
  list.pos = 0;
  if (list.members !== null) for (const m of list.members) rewind(m);
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
