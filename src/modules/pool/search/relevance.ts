import { createRequire } from 'node:module';
import { pieceTokens, type TokenSink, visitIndexPieces } from './tokenize.ts';

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

/** Hands every token occurrence of the document's title, brand and category path to `sink`; returns the title's length in tokens. */
export function visitDocTokens(doc: DocText, sink: DocTokenSink): number {
  const marker = doc.title.length > 0 ? COMPATIBLE_WITH.exec(doc.title) : null;
  const titleLength = marker
    ? visitIndexPieces(doc.title.slice(0, marker.index), TITLE_UNITS, sink) + visitIndexPieces(doc.title.slice(marker.index), COMPATIBLE_UNITS, sink)
    : visitIndexPieces(doc.title, TITLE_UNITS, sink);
  if (doc.brand) sink.addField(doc.brand, BRAND_UNITS);
  for (const level of doc.categoryPath) sink.addField(level, CATEGORY_UNITS);
  return titleLength;
}

/** Where a document's tokens go: a title piece by piece (see `TokenSink`), and short fields (brand, category name) whole, as they recur whole. */
export interface DocTokenSink extends TokenSink {
  addField(text: string, units: number): void;
}

/** Impacts already worked out, by title length x 64 + units (0: not yet); a bulk load asks for one per posting. */
const IMPACTS = new Uint8Array(256 * 64);

/** The stored impact of a term with these summed units in a title this long. */
export function impactOf(units: number, titleLength: number): number {
  if (units >= 64 || titleLength >= 256) return computeImpact(units, titleLength);
  const key = titleLength * 64 + units;
  return IMPACTS[key] || (IMPACTS[key] = computeImpact(units, titleLength));
}

function computeImpact(units: number, titleLength: number): number {
  const tf = units / TITLE_UNITS;
  const norm = K1 * (1 - B + (B * titleLength) / AVERAGE_TITLE_TOKENS);
  return Math.min(255, Math.max(1, Math.round((255 * tf) / (tf + norm))));
}

export function docTermImpacts(doc: DocText): TermImpacts {
  const units = new Map<string, number>();
  const add = (token: string, u: number) => units.set(token, (units.get(token) ?? 0) + u);
  const sink: DocTokenSink = {
    addPiece: (normalised, start, end, u) => {
      const tokens = pieceTokens(normalised.slice(start, end));
      for (const token of tokens) add(token, u);
      return tokens.length;
    },
    addToken: add,
    addField: (text, u) => visitIndexPieces(text, u, sink),
  };
  const titleLength = visitDocTokens(doc, sink);
  const terms = [...units.keys()];
  return { terms, impacts: terms.map((t) => impactOf(units.get(t)!, titleLength)) };
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

/** Weights already worked out: a query by a single character or an unknown word weighs every term containing it. */
const weights = new Map<string, number>();
const WEIGHTS_LIMIT = 1 << 16;

/** The integer weight of a query term: round(10 x idf). */
export function termWeight(term: string): number {
  let weight = weights.get(term);
  if (weight === undefined) {
    weight = weightOf(term);
    if (weights.size >= WEIGHTS_LIMIT) weights.clear();
    weights.set(term, weight);
  }
  return weight;
}

function weightOf(term: string): number {
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
