import { setBit } from './bitset.ts';
import type { TermPostings } from './postings.ts';
import { boostWeight, termWeight } from './relevance.ts';
import type { ScanList } from './scan.ts';
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
  for (const t of group.terms) size += t.length;
  return size;
}

/**
 * Turns the analysed query into term groups over the vocabulary, following the match rules of
 * `QueryTerm` (tokenize.ts). `isLive` tells whether any live document has the term.
 */
export function planText(query: AnalysedQuery, vocabulary: Vocabulary, isLive: (t: TermPostings) => boolean): TextPlan {
  const groups: TermGroup[] = [];
  const weighted = (terms: TermPostings[]): TermGroup => ({ terms, weights: terms.map((t) => termWeight(t.text)) });
  const byChar = (ch: string) => weighted([...vocabulary.containingChar(ch)]);
  for (const term of query.required) groups.push(...groupsOf(term));
  const boosts: TermGroup[] = [];
  for (const text of query.boosts) {
    const t = vocabulary.findText(text);
    if (t) boosts.push({ terms: [t], weights: [boostWeight(text)] });
  }
  return { groups, boosts };

  function groupsOf(term: QueryTerm): TermGroup[] {
    if (term.match === 'char') return [byChar(term.text)];
    const exact = vocabulary.findText(term.text);
    if (term.match === 'exact' || (exact && isLive(exact))) return [weighted(exact ? [exact] : [])];
    const chars = [...term.text];
    const containing = vocabulary.containingChar(chars[0]!).filter((t) => t.text.includes(term.text));
    if (containing.some(isLive)) return [weighted(containing)];
    return chars.map(byChar);
  }
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

/** Reusable per-ordinal scratch for building unions; `bits` is all zero between uses. */
export class UnionScratch {
  bits = new Int32Array(0);
  contrib = new Int32Array(0);

  fit(capacity: number, words: number): void {
    if (this.contrib.length < capacity) this.contrib = new Int32Array(capacity);
    if (this.bits.length < words) this.bits = new Int32Array(words);
  }
}

/**
 * A group as a scan list. A single term is used in place (its bitset built only if the bitset scan
 * needs one and it has none); a union is materialised: ordinals ascending, each with its best
 * weight x impact over the terms that contain it.
 */
export function toScanList(group: TermGroup, needBits: boolean, words: number, scratch: UnionScratch): ScanList {
  if (group.terms.length === 1) {
    const t = group.terms[0]!;
    let bits = t.bits;
    if (needBits && bits === null) {
      bits = new Int32Array(words);
      for (let i = 0; i < t.length; i++) setBit(bits, t.ords[i]!);
    }
    return { ords: t.ords, length: t.length, bits, impacts: t.impacts, weight: group.weights[0]!, contrib: null, pos: 0 };
  }
  const { bits, contrib } = scratch;
  let count = 0;
  let minWord = words;
  let maxWord = -1;
  group.terms.forEach((t, k) => {
    const weight = group.weights[k]!;
    const { ords, impacts } = t;
    for (let i = 0; i < t.length; i++) {
      const o = ords[i]!;
      const c = impacts === null ? 0 : weight * impacts[i]!;
      const w = o >>> 5;
      const bit = 1 << (o & 31);
      if ((bits[w]! & bit) === 0) {
        bits[w]! |= bit;
        contrib[o] = c;
        count++;
        if (w < minWord) minWord = w;
        if (w > maxWord) maxWord = w;
      } else if (c > contrib[o]!) {
        contrib[o] = c;
      }
    }
  });
  const ords = new Uint32Array(count);
  const contribs = new Int32Array(count);
  const kept = needBits ? new Int32Array(words) : null;
  let n = 0;
  for (let w = minWord; w <= maxWord; w++) {
    let word = bits[w]!;
    if (word === 0) continue;
    if (kept) kept[w] = word;
    bits[w] = 0;
    while (word !== 0) {
      const bit = word & -word;
      word ^= bit;
      const o = (w << 5) + 31 - Math.clz32(bit);
      ords[n] = o;
      contribs[n++] = contrib[o]!;
    }
  }
  return { ords, length: count, bits: kept, impacts: null, weight: 0, contrib: contribs, pos: 0 };
}
