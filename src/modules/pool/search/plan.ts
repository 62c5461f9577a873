import type { TermPostings } from './postings.ts';
import { boostWeight, termWeight } from './relevance.ts';
import type { AnalysedQuery, QueryTerm } from './tokenize.ts';
import type { Vocabulary } from './vocabulary.ts';
import type { PoolQuery } from './types.ts';

/** Documents having any of the terms; each term with the weight its impact is multiplied by. */
export interface TermGroup {
  terms: TermPostings[];
  weights: number[];
}

export interface TextPlan {
  /** One group per query term; every one must match (or, in the fallback, any one). */
  groups: TermGroup[];
  /** Joined model numbers: they only add to the score. */
  boosts: TermGroup[];
}

export function groupSize(group: TermGroup): number {
  let size = 0;
  for (const t of group.terms) size += t.docCount;
  return size;
}

/**
 * Turns the analysed query into term groups over the vocabulary, following the match rules of
 * `QueryTerm` (tokenize.ts). `isLive` tells whether any live document has the term.
 */
export function planText(query: AnalysedQuery, vocabulary: Vocabulary, isLive: (t: TermPostings) => boolean): TextPlan {
  const weighted = (terms: TermPostings[]): TermGroup => ({ terms, weights: terms.map((t) => termWeight(t.text)) });
  const groupOf = (term: QueryTerm): TermGroup => {
    if (term.match === 'char') return weighted([...vocabulary.containingChar(term.text)]);
    const exact = vocabulary.findText(term.text);
    if (term.match === 'exact' || (exact && isLive(exact))) return weighted(exact ? [exact] : []);
    return weighted(vocabulary.containingChar(term.text[0]!).filter((t) => t.text.includes(term.text)));
  };
  const boosts: TermGroup[] = [];
  for (const text of query.boosts) {
    const t = vocabulary.findText(text);
    if (t) boosts.push({ terms: [t], weights: [boostWeight(text)] });
  }
  return { groups: query.required.map(groupOf), boosts };
}

/** Filter groups of the query; null when a filter names nothing the index has seen (no match). */
export function planFilters(query: PoolQuery, vocabulary: Vocabulary): TermGroup[] | null {
  const groups: TermGroup[] = [];
  const anyOf = (field: 'platform' | 'source', values: readonly string[] | undefined): boolean => {
    if (!values || values.length === 0) return true;
    const terms = [...new Set(values)].flatMap((v) => vocabulary.findFilter(field, v) ?? []);
    groups.push({ terms, weights: terms.map(() => 0) });
    return terms.length > 0;
  };
  const one = (field: 'category' | 'coupon', value: string | undefined): boolean => {
    if (value === undefined) return true;
    const t = vocabulary.findFilter(field, value);
    if (t) groups.push({ terms: [t], weights: [0] });
    return t !== undefined;
  };
  const ok =
    anyOf('platform', query.platforms) &&
    anyOf('source', query.sourceIds) &&
    one('category', query.category) &&
    one('coupon', query.hasCoupon === undefined ? undefined : String(query.hasCoupon));
  return ok ? groups : null;
}
