import { POOL_SORTS } from '../model.ts';
import { hasBit, wordsFor } from './bitset.ts';
import { DocColumns } from './columns.ts';
import { decodeCursor, encodeCursor, type MatchMode } from './cursor.ts';
import { groupSize, planFilters, planText, type TermGroup, type TextPlan } from './plan.ts';
import { PendingPostings, type TermPostings } from './postings.ts';
import { BulkLoad, type BulkLoadOptions } from './bulk-load.ts';
import { ResolvedTerms, type TermsChunk, type WorkerTerms } from './chunk-terms.ts';
import { type CollectedTerms, DocTermCollector } from './doc-terms.ts';
import { impactOf } from './relevance.ts';
import { PRICE_BUCKETS } from './range-bitsets.ts';
import { type After, anyLiveMatch, type RangeFilter, scan, type ScanResult, type ScanSpec } from './scan.ts';
import { ListBuilder } from './scan-lists.ts';
import { analyseQuery } from './tokenize.ts';
import type { PoolDoc, PoolFacets, PoolIndex, PoolQuery, PoolResult } from './types.ts';
import { Vocabulary } from './vocabulary.ts';

/** Pending postings appended once this many have piled up during `upsertMany` (bounds its memory: 9 bytes each, kept between loads). */
const PENDING_FLUSH = 1 << 20;
/**
 * The same for a `BulkLoad`, whose pages' postings wait across pages: each flush grows (copies)
 * the lists of most terms, so a flush every ~110,000 products rather than every ~28,000 copies a
 * quarter as often. Its buffers (38 MB, 59 MB while appending) are given back when the load ends.
 */
const BULK_PENDING_FLUSH = 1 << 22;
/** Queries whose total and facet counts are remembered until the index next changes. */
const COUNTS_CACHE_LIMIT = 1024;

export interface MemoryIndexOptions {
  /** Compact once this many removed ordinals pile up and they outnumber half the live ones. */
  compactAfterDead?: number;
  /** A term keeps a bitset once it has this many postings (default: 1/32 of the capacity, at least 256). */
  denseTermMinDocs?: number;
  /** Force a scan strategy (tests); `auto` picks by estimated cost. */
  scan?: 'auto' | 'postings' | 'bitsets';
}

/**
 * The pool's in-process search index; see docs in each file:
 * - `columns.ts`: filter/sort keys per document ordinal in typed arrays, live and range bitsets;
 * - `vocabulary.ts` / `postings.ts`: term -> ascending ordinals (+ impacts, + bitset when dense);
 * - `plan.ts`: query -> term groups; `scan.ts`: one pass over the matches (count, facets, top-k);
 * - `cursor.ts`: keyset cursors; `relevance.ts`: the score.
 * A changed title, brand, category, source, platform or coupon gives the product a new ordinal
 * (its old one is dead until compaction); a changed price, rate, commission, sales or time is
 * written in place.
 */
export class MemoryPoolIndex implements PoolIndex {
  private readonly cols = new DocColumns();
  private readonly vocabulary = new Vocabulary();
  private readonly lists = new ListBuilder();
  private dead = 0;
  private denseAt = 256;
  /** Set while `upsertMany` (or a bulk load's chunk) runs: postings wait there and are appended in one go. */
  private pending: PendingPostings | null = null;
  /** Kept between loads: its buffers grow once, not page after page (a bulk load's, larger, are given back). */
  private readonly pendingBuffer = new PendingPostings();
  private readonly compactAfterDead: number;
  private readonly denseTermMinDocs: number | undefined;
  private readonly strategy: 'auto' | 'postings' | 'bitsets';
  /**
   * The total and facet counts of recent queries, by their constraints (text, filters, match
   * mode; not the sort or the cursor), valid while `version` has not moved: the next page, or the
   * same search sorted another way, reports the same exact figures without counting them again.
   */
  private readonly counts = new Map<string, Counts>();
  private countsVersion = 0;
  /** Bumped by every call that may change what a query matches. */
  private version = 0;

  constructor(options: MemoryIndexOptions = {}) {
    this.compactAfterDead = options.compactAfterDead ?? 100_000;
    this.denseTermMinDocs = options.denseTermMinDocs;
    this.strategy = options.scan ?? 'auto';
  }

  get size(): number {
    return this.cols.liveCount;
  }

  upsert(doc: PoolDoc): void {
    this.settle();
    this.version++;
    this.write(doc);
    this.compactIfWorthIt();
  }

  upsertMany(docs: Iterable<PoolDoc>): void {
    this.settle();
    this.version++;
    if (Array.isArray(docs)) this.reserve(this.cols.end + docs.length);
    this.pending = this.pendingBuffer;
    try {
      for (const doc of docs) {
        this.write(doc);
        if (this.pending.count >= PENDING_FLUSH) this.flushPending();
      }
    } finally {
      this.flushPending();
      this.pending = null;
    }
    this.compactIfWorthIt();
  }

  /** Starts loading many pages at once, tokenised in a worker thread (see `bulk-load.ts`). */
  bulkLoad(options?: BulkLoadOptions): BulkLoad {
    return new BulkLoad(this, options);
  }

  /** For `BulkLoad`: room for `count` more documents, reserved once for a page as `upsertMany` does. */
  reserveMore(count: number): void {
    this.reserve(this.cols.end + count);
  }

  /**
   * For `BulkLoad`: writes `docs[from, to)` as `upsertMany` would, their text terms read from a
   * worker's `chunk`. Their postings wait until enough have piled up (`BULK_PENDING_FLUSH`, across
   * pages), the load ends (`endBulkLoad`) or anything else reads or writes the index (`settle`):
   * flushed after every chunk, each list grew a step at a time and the load took twice as long.
   */
  upsertTokenised(docs: readonly PoolDoc[], from: number, to: number, chunk: TermsChunk, terms: WorkerTerms): void {
    this.version++;
    this.pending = this.pendingBuffer;
    this.pending.reserve(BULK_PENDING_FLUSH);
    const textTerm = (token: string) => this.vocabulary.textTerm(token).id;
    try {
      for (let i = from, at = 0; i < to; i++) {
        const doc = docs[i]!;
        validateDoc(doc);
        if (!doc.online) {
          this.takeOffline(doc.productId);
          continue;
        }
        at = terms.read(chunk.terms, at, this.resolved, textTerm);
        this.place(doc, this.resolved.titleLength, this.resolved);
        if (this.pending.count >= BULK_PENDING_FLUSH) this.flushPending();
      }
    } finally {
      this.pending = null;
    }
  }

  /** For `BulkLoad`: appends what its pages left pending, and gives back the room they took. */
  endBulkLoad(): void {
    this.settle();
    this.pendingBuffer.shrink();
  }

  /** Appends postings a bulk load left pending, and compacts if that is due. */
  private settle(): void {
    if (this.pendingBuffer.count === 0) return;
    this.flushPending();
    this.compactIfWorthIt();
  }

  private flushPending(): void {
    for (const t of this.pendingBuffer.flushInto(this.vocabulary.all)) {
      if (t.bits === null && t.docCount >= this.denseAt) t.makeDense(this.cols.words);
    }
  }

  remove(productId: string): void {
    this.settle();
    this.version++;
    const o = this.cols.ids.find(productId);
    if (o < 0) return;
    this.kill(o);
    this.compactIfWorthIt();
  }

  search(query: PoolQuery): PoolResult {
    this.settle();
    validateQuery(query);
    const cursor = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
    const filters = planFilters(query, this.vocabulary);
    const text = this.planText(query.q);
    let mode: MatchMode = cursor?.mode ?? 'all';
    let result = filters === null ? null : this.run(query, mode, text, filters, cursor);
    if (!cursor && filters !== null && result === null && text.groups.length >= 2 && !this.anyHasAllTerms(text.groups)) {
      mode = 'any';
      result = this.run(query, mode, text, filters, null);
    }
    return this.answer(query, mode, result);
  }

  /** Does any live product have every query term (filters aside)? If none does, the query falls back to any term. */
  private anyHasAllTerms(groups: TermGroup[]): boolean {
    const [smallest, ...rest] = [...groups].sort((a, b) => groupSize(a) - groupSize(b));
    this.lists.startQuery(this.cols.words, this.cols.capacity);
    return anyLiveMatch(this.cols.alive, this.lists.list(smallest!, 'driver'), rest.map((g) => this.lists.list(g, 'member')));
  }

  private write(doc: PoolDoc): void {
    validateDoc(doc);
    if (!doc.online) {
      this.takeOffline(doc.productId);
      return;
    }
    const titleLength = this.collector.collect(doc);
    this.place(doc, titleLength, this.collector);
  }

  private takeOffline(productId: string): void {
    const existing = this.cols.ids.find(productId);
    if (existing >= 0) this.kill(existing);
  }

  /** Writes an online document whose text terms (vocabulary ids, with their units) are collected in `terms`. */
  private place(doc: PoolDoc, titleLength: number, terms: CollectedTerms): void {
    const existing = this.cols.ids.find(doc.productId);
    const fingerprint = this.fingerprintOf(doc, titleLength, terms);
    if (existing >= 0) {
      if (this.cols.fingerprint[existing] === fingerprint) {
        this.cols.updateValues(existing, doc);
        return;
      }
      this.kill(existing);
    }
    this.reserve(this.cols.end + 1);
    const o = this.cols.append(doc, fingerprint);
    this.postTerms(o, doc, titleLength, terms);
  }

  private postTerms(o: number, doc: PoolDoc, titleLength: number, terms: CollectedTerms): void {
    for (let i = 0; i < terms.count; i++) this.post(terms.ids[i]!, o, impactOf(terms.units[i]!, titleLength));
    const v = this.vocabulary;
    if (doc.platform !== null) this.post(v.filterTerm('platform', doc.platform).id, o, 0);
    this.post(v.filterTerm('source', doc.sourceId).id, o, 0);
    const path = doc.categoryPath;
    for (let i = 0; i < path.length; i++) if (path.indexOf(path[i]!) === i) this.post(v.filterTerm('category', path[i]!).id, o, 0);
    this.post(v.filterTerm('coupon', doc.hasCoupon ? 'true' : 'false').id, o, 0);
  }

  /**
   * Two 26-bit hashes, as one exact double, of everything that decides a product's postings: its
   * text terms and their units (just collected) and the filter fields. Equal fingerprints: the
   * postings would be the same, and an upsert only rewrites the values.
   */
  private fingerprintOf(doc: PoolDoc, titleLength: number, terms: CollectedTerms): number {
    const h = new Hash();
    h.add(titleLength);
    for (let i = 0; i < terms.count; i++) {
      h.add(terms.ids[i]!);
      h.add(terms.units[i]!);
    }
    h.addText(doc.sourceId);
    h.addText(doc.platform);
    for (const level of doc.categoryPath) h.addText(level);
    h.add(doc.categoryPath.length);
    h.add(doc.hasCoupon ? 1 : 0);
    return h.value();
  }

  /** The text terms of the document being written, by vocabulary id. */
  private readonly collector = new DocTermCollector((token) => this.vocabulary.textTerm(token).id);
  /** The same, read back from a bulk load's worker. */
  private readonly resolved = new ResolvedTerms();

  /** By term id: a bulk load only records it (without visiting the term). */
  private post(termId: number, o: number, impact: number): void {
    if (this.pending !== null) {
      this.pending.add(termId, o, impact);
      return;
    }
    const t = this.vocabulary.all[termId]!;
    t.append(o, impact);
    if (t.bits === null && t.docCount >= this.denseAt) t.makeDense(this.cols.words);
  }

  private reserve(count: number): void {
    if (!this.cols.reserve(count)) return;
    this.denseAt = this.denseTermMinDocs ?? Math.max(256, this.cols.capacity >>> 5);
    const words = this.cols.words;
    for (const t of this.vocabulary.all) if (t.bits !== null) t.makeDense(words);
  }

  private kill(o: number): void {
    this.cols.kill(o);
    this.dead++;
  }

  private compactIfWorthIt(): void {
    if (this.dead < this.compactAfterDead || this.dead * 2 < this.cols.liveCount) return;
    const remap = this.cols.compact();
    const words = this.cols.words;
    for (const t of this.vocabulary.all) t.compact(remap, words);
    this.dead = 0;
  }

  /** Does any live document have this text term? */
  private isLive = (t: TermPostings): boolean => {
    for (let i = 0; i < t.length; i++) if (hasBit(this.cols.alive, t.ords[i]!)) return true;
    return false;
  };

  private planText(q: string | undefined): TextPlan {
    if (!q) return { groups: [], boosts: [] };
    return planText(analyseQuery(q), this.vocabulary, this.isLive);
  }

  /** Null when nothing matches. */
  private run(query: PoolQuery, mode: MatchMode, text: TextPlan, filters: TermGroup[], after: After | null): ScanResult | null {
    const countsKey = countsKeyOf(query, mode);
    const known = this.knownCounts(countsKey);
    if (known !== undefined && known.total === 0) return null;
    const textRequired = mode === 'all' ? text.groups : text.groups.length > 0 ? [unionOf(text.groups)] : [];
    const groups = [...textRequired, ...filters].map((g) => ({ g, size: groupSize(g) })).sort((a, b) => a.size - b.size);
    if (groups.length > 0 && groups[0]!.size === 0) return null;
    const ranges = this.rangeFilters(query);
    const bitsetScan = this.chooseBitsets(groups.map((x) => x.size), ranges.length);
    this.lists.startQuery(this.cols.words, this.cols.capacity);
    const required = groups.map((x, i) => this.lists.list(x.g, bitsetScan ? 'stream' : i === 0 ? 'driver' : 'member'));
    const relevance = query.sort === 'relevance';
    const scoring = relevance ? [...text.groups, ...text.boosts].map((g) => this.lists.list(g, 'score')) : [];
    const { keys, sign, blockMax } = this.sortKey(query);
    const constrained = required.length > 0 || ranges.length > 0;
    const rangeScratch = (): [Int32Array, Int32Array] => [this.lists.borrowBits(), this.lists.borrowBits()];
    const countFacets = constrained && known === undefined;
    const knownTotal = known?.total ?? -1;
    const spec: ScanSpec = { required, scoring, ranges, relevance, keys, sign, blockMax, after, limit: query.limit, countFacets, knownTotal, bitsetScan, rangeScratch };
    // a pass over every word per narrowing: worth it only when the matches outnumber the words
    const manyMatches = known !== undefined && bitsetScan && known.total > wordsFor(this.cols.end);
    const byPriceBands = manyMatches && after === null && (query.sort === 'price_asc' || query.sort === 'price_desc') && hasPriceRange(query) && ranges.length <= 2;
    const result = byPriceBands ? this.scanByPriceBands(spec, query) : scan(this.cols, spec);
    if (known !== undefined) return { ...result, ...known, total: known.total, hasMore: after === null ? known.total > query.limit : result.hasMore };
    const { total, platformCounts, categoryCounts, sourceCounts, withCoupon, facetsCounted } = result;
    this.rememberCounts(countsKey, { total, platformCounts, categoryCounts, sourceCounts, withCoupon, facetsCounted });
    return total === 0 ? null : result;
  }

  /**
   * A first page sorted by price, with a price range and known counts: the block bounds of the
   * price cannot skip anything (the cheapest product of almost every block lies below `priceMin`),
   * so the range is narrowed instead — from its favourable end, by 1, 2, 4… price buckets — until
   * the narrowed range holds a page of matches. Every match inside it comes before every match
   * outside, so its first page is the query's.
   */
  private scanByPriceBands(spec: ScanSpec, query: PoolQuery): ScanResult {
    const lo = query.priceMin ?? -Infinity;
    const hi = query.priceMax ?? Infinity;
    const ascending = query.sort === 'price_asc';
    const from = ascending ? PRICE_BUCKETS.bucket(lo) : PRICE_BUCKETS.bucket(hi);
    for (let width = 1; ; width *= 2) {
      const bandLo = ascending ? lo : Math.max(lo, PRICE_BUCKETS.lowerBound(from - width + 1));
      const bandHi = ascending ? Math.min(hi, PRICE_BUCKETS.lowerBound(from + width)) : hi;
      if (bandLo <= lo && bandHi >= hi) return scan(this.cols, spec);
      const price: RangeFilter = { values: this.cols.finalPrice, mask: this.cols.priceRange.mask(bandLo, bandHi) };
      const band = scan(this.cols, { ...spec, ranges: [price, ...spec.ranges.slice(1)], knownTotal: -1 });
      if (band.total >= spec.limit) return band;
    }
  }

  private knownCounts(key: string): Counts | undefined {
    if (this.countsVersion !== this.version) {
      this.counts.clear();
      this.countsVersion = this.version;
    }
    return this.counts.get(key);
  }

  /** Forgets every remembered total and facet count: the next search of each query counts again (benchmarks time such cold searches). */
  forgetCounts(): void {
    this.counts.clear();
  }

  private rememberCounts(key: string, counts: Counts): void {
    if (this.counts.size >= COUNTS_CACHE_LIMIT) this.counts.clear();
    this.counts.set(key, counts);
  }

  /** Bitsets when walking the shortest list would visit more documents than ANDing words costs. */
  private chooseBitsets(sizes: number[], rangeCount: number): boolean {
    if (this.strategy !== 'auto') return this.strategy === 'bitsets';
    if (sizes.length === 0) return true;
    const live = Math.max(1, this.cols.liveCount);
    const words = wordsFor(this.cols.end);
    let expected = live;
    for (const s of sizes) expected *= Math.min(1, s / live);
    // Both visit every match afterwards; they differ in how candidates are found.
    const postingsCost = sizes[0]! * (6 + 6 * (sizes.length - 1) + 4 * rangeCount);
    const bitsetsCost = words * (2 + sizes.length + 4 * rangeCount) + expected * 2;
    return bitsetsCost < postingsCost;
  }

  private rangeFilters(query: PoolQuery): RangeFilter[] {
    const c = this.cols;
    const ranges: RangeFilter[] = [];
    if (query.priceMin !== undefined || query.priceMax !== undefined) {
      ranges.push({ values: c.finalPrice, mask: c.priceRange.mask(query.priceMin ?? -Infinity, query.priceMax ?? Infinity) });
    }
    if (query.rateMin !== undefined) ranges.push({ values: c.rate, mask: c.rateRange.mask(query.rateMin, Infinity) });
    if (query.shopScoreMin !== undefined) ranges.push({ values: c.shopScore, mask: c.shopRange.mask(query.shopScoreMin, Infinity) });
    return ranges;
  }

  private sortKey(query: PoolQuery): { keys: Float64Array; sign: number; blockMax: Float64Array } {
    const c = this.cols;
    const m = c.blockMax;
    switch (query.sort) {
      case 'relevance':
      case 'commission':
        return { keys: c.commission, sign: 1, blockMax: m.commission.max };
      case 'rate':
        return { keys: c.rate, sign: 1, blockMax: m.rate.max };
      case 'sales':
        return { keys: c.sales, sign: 1, blockMax: m.sales.max };
      case 'price_asc':
        return { keys: c.finalPrice, sign: -1, blockMax: m.priceAsc.max };
      case 'price_desc':
        return { keys: c.finalPrice, sign: 1, blockMax: m.priceDesc.max };
      case 'newest':
        return { keys: c.updatedAt, sign: 1, blockMax: m.newest.max };
    }
  }

  private answer(query: PoolQuery, mode: MatchMode, result: ScanResult | null): PoolResult {
    if (result === null) return { productIds: [], total: 0, facets: emptyFacets(), nextCursor: null };
    const top = result.top.drain();
    const productIds = top.map((t) => this.cols.ids.get(t.ordinal));
    const last = top[top.length - 1];
    const nextCursor =
      result.hasMore && last
        ? encodeCursor({ sort: query.sort, mode, primary: last.primary, secondary: last.secondary, productId: this.cols.ids.get(last.ordinal) })
        : null;
    return { productIds, total: result.total, facets: this.facets(result), nextCursor };
  }

  private facets(result: ScanResult): PoolFacets {
    const c = this.cols;
    const counted = result.facetsCounted;
    const platform = counted ? result.platformCounts : c.livePerPlatform;
    const category = counted ? result.categoryCounts : c.livePerCategory;
    const source = counted ? result.sourceCounts : c.livePerSource;
    const withCoupon = counted ? result.withCoupon : c.liveWithCoupon;
    return {
      platform: named(c.platforms.names, platform, 1),
      source: named(c.sources.names, source, 0),
      category: named(c.topCategories.names, category, 1),
      has_coupon: { true: withCoupon, false: result.total - withCoupon },
    };
  }
}

/** What a query's total and facet counts depend on, besides the index's contents. */
type Counts = Pick<ScanResult, 'total' | 'platformCounts' | 'categoryCounts' | 'sourceCounts' | 'withCoupon' | 'facetsCounted'>;

function hasPriceRange(query: PoolQuery): boolean {
  return query.priceMin !== undefined || query.priceMax !== undefined;
}

function countsKeyOf(query: PoolQuery, mode: MatchMode): string {
  const { q, sourceIds, platforms, category, priceMin, priceMax, rateMin, hasCoupon, shopScoreMin } = query;
  return JSON.stringify([mode, q ?? '', sourceIds ?? [], platforms ?? [], category ?? null, priceMin ?? null, priceMax ?? null, rateMin ?? null, hasCoupon ?? null, shopScoreMin ?? null]);
}

function unionOf(groups: TermGroup[]): TermGroup {
  const terms = new Set<TermPostings>();
  for (const g of groups) for (const t of g.terms) terms.add(t);
  return { terms: [...terms], weights: [...terms].map(() => 0) };
}

function named(names: readonly string[], counts: ArrayLike<number>, offset: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = offset; i < counts.length; i++) if ((counts[i] ?? 0) > 0) out[names[i - offset]!] = counts[i]!;
  return out;
}

function emptyFacets(): PoolFacets {
  return { platform: {}, source: {}, category: {}, has_coupon: { true: 0, false: 0 } };
}

/** Two multiplicative hashes over integers and text, folded into one exact double (52 bits). */
class Hash {
  private a = 0x811c9dc5;
  private b = 0x01000193;

  add(n: number): void {
    this.a = Math.imul(this.a ^ n, 0x01000193);
    const b = Math.imul(this.b ^ n, 0x5bd1e995);
    this.b = b ^ (b >>> 13);
  }

  /** Each text ends with a marker no character produces, so ('ab', 'c') and ('a', 'bc') differ, and null differs from ''. */
  addText(s: string | null): void {
    if (s !== null) for (let i = 0; i < s.length; i++) this.add(s.charCodeAt(i));
    this.add(s === null ? 0x20000 : 0x10000);
  }

  value(): number {
    return (this.a >>> 6) * 2 ** 26 + (this.b >>> 6);
  }
}

function validateDoc(doc: PoolDoc): void {
  const finite =
    Number.isFinite(doc.priceMinor) &&
    Number.isFinite(doc.finalPriceMinor) &&
    Number.isFinite(doc.rateBps) &&
    Number.isFinite(doc.commissionMinor) &&
    Number.isFinite(doc.sales30d) &&
    Number.isFinite(doc.updatedAtMs) &&
    (doc.shopScore === null || Number.isFinite(doc.shopScore));
  if (!finite) {
    throw new RangeError(`product ${doc.productId}: every number must be finite`);
  }
}

function validateQuery(query: PoolQuery): void {
  if (!POOL_SORTS.includes(query.sort)) throw new RangeError(`invalid sort: ${String(query.sort)}`);
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 100) throw new RangeError('limit must be an integer in 1..100');
  for (const v of [query.priceMin, query.priceMax, query.rateMin, query.shopScoreMin]) {
    if (v !== undefined && !Number.isFinite(v)) throw new RangeError('numeric filters must be finite');
  }
}
