import { decodeCursor, encodeCursor, type MatchMode } from './cursor.ts';
import { boostWeight, docTermImpacts, termWeight } from './relevance.ts';
import { analyseQuery, type QueryTerm } from './tokenize.ts';
import type { PoolBulkLoad, PoolDoc, PoolFacets, PoolIndex, PoolQuery, PoolResult } from './types.ts';

/** A query term group, as seen by one document: does the document match it, and its contribution. */
type DocGroup = (terms: ReadonlyMap<string, number>) => { matches: boolean; score: number };

interface Ranked {
  doc: PoolDoc;
  primary: number;
  secondary: number;
}

/**
 * The reference semantics of pool search, written for clarity instead of speed: filter every live
 * product, sort the whole list, slice a page. The property tests hold `MemoryPoolIndex` to it.
 */
export class BruteForceSearch implements PoolIndex {
  private readonly docs = new Map<string, { doc: PoolDoc; terms: Map<string, number> }>();

  get size(): number {
    return this.docs.size;
  }

  upsert(doc: PoolDoc): void {
    if (!doc.online) {
      this.docs.delete(doc.productId);
      return;
    }
    const { terms, impacts } = docTermImpacts(doc);
    this.docs.set(doc.productId, { doc, terms: new Map(terms.map((t, i) => [t, impacts[i]!])) });
  }

  upsertMany(docs: Iterable<PoolDoc>): void {
    for (const doc of docs) this.upsert(doc);
  }

  bulkLoad(): PoolBulkLoad {
    return { add: async (docs) => this.upsertMany(docs), close: async () => {} };
  }

  remove(productId: string): void {
    this.docs.delete(productId);
  }

  search(query: PoolQuery): PoolResult {
    const cursor = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
    const { groups, boosts } = this.textGroups(query.q);
    let mode: MatchMode = cursor?.mode ?? 'all';
    let matches = this.matching(query, groups, boosts, mode);
    const someoneHasAll = () => [...this.docs.values()].some(({ terms }) => groups.every((g) => g(terms).matches));
    if (!cursor && matches.length === 0 && groups.length >= 2 && !someoneHasAll()) {
      mode = 'any';
      matches = this.matching(query, groups, boosts, mode);
    }
    matches.sort(compareRanked);
    const after = cursor
      ? matches.filter((m) => compareRanked(m, { doc: { productId: cursor.productId } as PoolDoc, primary: cursor.primary, secondary: cursor.secondary }) > 0)
      : matches;
    const page = after.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      productIds: page.map((m) => m.doc.productId),
      total: matches.length,
      facets: facetsOf(matches.map((m) => m.doc)),
      nextCursor:
        after.length > query.limit && last
          ? encodeCursor({ sort: query.sort, mode, primary: last.primary, secondary: last.secondary, productId: last.doc.productId })
          : null,
    };
  }

  private matching(query: PoolQuery, groups: DocGroup[], boosts: DocGroup[], mode: MatchMode): Ranked[] {
    const out: Ranked[] = [];
    for (const { doc, terms } of this.docs.values()) {
      if (!passesFilters(doc, query)) continue;
      const seen = groups.map((g) => g(terms));
      const textOk = mode === 'all' ? seen.every((s) => s.matches) : seen.some((s) => s.matches);
      if (groups.length > 0 && !textOk) continue;
      let score = 0;
      for (const s of [...seen, ...boosts.map((b) => b(terms))]) if (s.matches) score += s.score;
      out.push(ranked(doc, query.sort, score));
    }
    return out;
  }

  private textGroups(q: string | undefined): { groups: DocGroup[]; boosts: DocGroup[] } {
    if (!q) return { groups: [], boosts: [] };
    const analysed = analyseQuery(q);
    const liveTerms = new Set<string>();
    for (const { terms } of this.docs.values()) for (const t of terms.keys()) liveTerms.add(t);
    const groups = analysed.required.map((term) => this.groupOf(term, liveTerms));
    const boosts = analysed.boosts.map((b) => exactGroup(b, boostWeight(b)));
    return { groups, boosts };
  }

  private groupOf(term: QueryTerm, liveTerms: ReadonlySet<string>): DocGroup {
    if (term.match === 'exact' || (term.match === 'word' && liveTerms.has(term.text))) return exactGroup(term.text, termWeight(term.text));
    return containingGroup(term.text);
  }
}

function exactGroup(text: string, weight: number): DocGroup {
  return (terms) => {
    const impact = terms.get(text);
    return impact === undefined ? { matches: false, score: 0 } : { matches: true, score: weight * impact };
  };
}

function containingGroup(text: string): DocGroup {
  return (terms) => {
    let best = -1;
    for (const [t, impact] of terms) if (t.includes(text)) best = Math.max(best, termWeight(t) * impact);
    return { matches: best >= 0, score: Math.max(0, best) };
  };
}

function passesFilters(doc: PoolDoc, q: PoolQuery): boolean {
  if (q.sourceIds && q.sourceIds.length > 0 && !q.sourceIds.includes(doc.sourceId)) return false;
  if (q.platforms && q.platforms.length > 0 && (doc.platform === null || !q.platforms.includes(doc.platform))) return false;
  if (q.category !== undefined && !doc.categoryPath.includes(q.category)) return false;
  if (q.priceMin !== undefined && doc.finalPriceMinor < q.priceMin) return false;
  if (q.priceMax !== undefined && doc.finalPriceMinor > q.priceMax) return false;
  if (q.rateMin !== undefined && doc.rateBps < q.rateMin) return false;
  if (q.hasCoupon !== undefined && doc.hasCoupon !== q.hasCoupon) return false;
  if (q.shopScoreMin !== undefined && (doc.shopScore === null || doc.shopScore < q.shopScoreMin)) return false;
  return true;
}

function ranked(doc: PoolDoc, sort: PoolQuery['sort'], score: number): Ranked {
  switch (sort) {
    case 'relevance':
      return { doc, primary: score, secondary: doc.commissionMinor };
    case 'commission':
      return { doc, primary: doc.commissionMinor, secondary: 0 };
    case 'rate':
      return { doc, primary: doc.rateBps, secondary: 0 };
    case 'sales':
      return { doc, primary: doc.sales30d, secondary: 0 };
    case 'price_asc':
      return { doc, primary: -doc.finalPriceMinor, secondary: 0 };
    case 'price_desc':
      return { doc, primary: doc.finalPriceMinor, secondary: 0 };
    case 'newest':
      return { doc, primary: doc.updatedAtMs, secondary: 0 };
  }
}

/** Negative when a comes first. */
function compareRanked(a: Ranked, b: Ranked): number {
  if (a.primary !== b.primary) return b.primary - a.primary;
  if (a.secondary !== b.secondary) return b.secondary - a.secondary;
  return a.doc.productId < b.doc.productId ? -1 : a.doc.productId > b.doc.productId ? 1 : 0;
}

function facetsOf(docs: PoolDoc[]): PoolFacets {
  const facets: PoolFacets = { platform: {}, source: {}, category: {}, has_coupon: { true: 0, false: 0 } };
  const bump = (r: Record<string, number>, k: string) => (r[k] = (r[k] ?? 0) + 1);
  for (const d of docs) {
    if (d.platform !== null) bump(facets.platform, d.platform);
    bump(facets.source, d.sourceId);
    if (d.categoryPath.length > 0) bump(facets.category, d.categoryPath[0]!);
    facets.has_coupon[d.hasCoupon ? 'true' : 'false']++;
  }
  return facets;
}
