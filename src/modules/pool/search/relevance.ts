import { createRequire } from 'node:module';
import { indexTokens, visitIndexTokens } from './tokenize.ts';

/**
 * BM25 with two deliberate departures, so that a document's score for a query is a pure function of
 * that document and that query — a keyset cursor over relevance then stays valid while other
 * products are added and removed:
 * - idf comes from jieba's static idf table (general Chinese text), not from the pool's own counts;
 *   tokens it does not know get fixed weights by shape;
 * - the average title length is a constant.
 * Per (term, document) the index stores an integer impact 1..255 (the BM25 tf part, fields
 * weighted: brand x3, title x1 (x0.5 after 适用), category x0.5); a query term weighs round(10 x idf); the score is
 * the sum over query terms of weight x impact, an exact integer whatever the order of summing.
 */
const K1 = 1.2;
const B = 0.75;
const AVERAGE_TITLE_TOKENS = 16;
/**
 * In half units: a title occurrence counts 2, a brand token 6, a category token 1 — and a title
 * occurrence after "适用/兼容/适配/for" counts 1: an accessory names the product it fits
 * (手机壳 适用iPhone15), which should rank below the product itself.
 */
const TITLE_UNITS = 2;
const COMPATIBLE_UNITS = 1;
const COMPATIBLE_WITH = /适用|兼容|适配|\bfor\b/i;
const BRAND_UNITS = 6;
const CATEGORY_UNITS = 1;

export interface DocText {
  title: string;
  brand: string | null;
  categoryPath: readonly string[];
}

export interface TermImpacts {
  terms: string[];
  impacts: number[];
}

/**
 * Hands every token occurrence of the document's title, brand and category path to `visit`, a
 * chunk of tokens at a time with the weight (units) of each occurrence in that field; see
 * `visitIndexTokens` for `reusable`. Returns the title's length in tokens.
 */
export function visitDocTokens(doc: DocText, visit: (tokens: readonly string[], units: number, reusable: boolean) => void): number {
  const marker = doc.title.length > 0 ? COMPATIBLE_WITH.exec(doc.title) : null;
  let titleLength: number;
  if (marker) {
    titleLength = visitIndexTokens(doc.title.slice(0, marker.index), TITLE_UNITS, visit);
    titleLength += visitIndexTokens(doc.title.slice(marker.index), COMPATIBLE_UNITS, visit);
  } else {
    titleLength = visitIndexTokens(doc.title, TITLE_UNITS, visit);
  }
  if (doc.brand) visit(shortFieldTokens(doc.brand), BRAND_UNITS, true);
  for (const level of doc.categoryPath) visit(shortFieldTokens(level), CATEGORY_UNITS, true);
  return titleLength;
}

/** The stored impact of a term with these summed units in a title this long. */
export function impactOf(units: number, titleLength: number): number {
  const tf = units / TITLE_UNITS;
  const norm = K1 * (1 - B + (B * titleLength) / AVERAGE_TITLE_TOKENS);
  return Math.min(255, Math.max(1, Math.round((255 * tf) / (tf + norm))));
}

export function docTermImpacts(doc: DocText): TermImpacts {
  const units = new Map<string, number>();
  const titleLength = visitDocTokens(doc, (tokens, u) => {
    for (const token of tokens) units.set(token, (units.get(token) ?? 0) + u);
  });
  const terms = [...units.keys()];
  return { terms, impacts: terms.map((t) => impactOf(units.get(t)!, titleLength)) };
}

/** Brands and category names repeat across the whole pool: their tokens are worth keeping. */
const shortFields = new Map<string, readonly string[]>();

function shortFieldTokens(text: string): readonly string[] {
  let tokens = shortFields.get(text);
  if (tokens === undefined) {
    tokens = indexTokens(text);
    if (shortFields.size >= 100_000) shortFields.clear();
    shortFields.set(text, tokens);
  }
  return tokens;
}

const UNKNOWN_HAN_IDF = 11.95; // the median of jieba's table, which jieba itself uses for unknown words
const LATIN_IDF = 10;
const NUMBER_IDF = 5;
const MIXED_IDF = 9;

let idfTable: Map<string, number> | null = null;

function loadIdf(): Map<string, number> {
  if (idfTable) return idfTable;
  const require = createRequire(import.meta.url);
  const { idf } = require('@node-rs/jieba/dict') as { idf: Uint8Array };
  const table = new Map<string, number>();
  for (const line of Buffer.from(idf).toString('utf8').split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) table.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  idfTable = table;
  return table;
}

/** The integer weight of a query term: round(10 x idf). */
export function termWeight(term: string): number {
  const known = loadIdf().get(term);
  if (known !== undefined) return Math.round(10 * known);
  if (/^[0-9.]+$/.test(term)) return 10 * NUMBER_IDF;
  if (/^[a-z]+$/.test(term)) return 10 * LATIN_IDF;
  if (/^[a-z0-9.]+$/.test(term)) return 10 * MIXED_IDF;
  return Math.round(10 * UNKNOWN_HAN_IDF);
}

/** Boost terms (joined model numbers) count half: they only order documents that already match. */
export function boostWeight(term: string): number {
  return Math.round(termWeight(term) / 2);
}
