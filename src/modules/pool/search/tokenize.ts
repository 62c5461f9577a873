import { createRequire } from 'node:module';
import { PRODUCT_WORDS } from './lexicon.ts';

/**
 * Text analysis shared by the index and the query, so that both sides agree on what a token is:
 * - full-width forms folded (NFKC) and everything lower-cased;
 * - a number with a unit becomes one canonical token (`20000mAh`, `20000毫安时`, `20000 毫安` ->
 *   `20000mah`), beside the bare number and the canonical unit word;
 * - Latin/digit runs are split at letter/digit boundaries (`mate60pro` -> `mate`, `60`, `pro`); the
 *   index also keeps the joined forms (`mate60pro`, `mate60`, and `mate60` for `Mate 60`), which the
 *   query uses only to rank exact model matches higher;
 * - Chinese runs are segmented with jieba (search mode at index time, so 大容量 also yields 容量;
 *   precise mode for queries), with a product lexicon added to its dictionary.
 */

interface Segmenter {
  cut(sentence: string, hmm?: boolean): string[];
  cutForSearch(sentence: string, hmm?: boolean): string[];
  loadDict(dict: Uint8Array): void;
}

let segmenter: Segmenter | null = null;
/** High enough that a product word beats the split a general corpus prefers (小黑瓶, not 小黑 + 瓶). */
const LEXICON_FREQUENCY = 50_000;

/** HMM is off: it guesses unknown words from context, so the same word could split differently in a title and in a query. */
function jieba(): Segmenter {
  if (segmenter) return segmenter;
  const require = createRequire(import.meta.url);
  const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(dict: Uint8Array): Segmenter } };
  const { dict } = require('@node-rs/jieba/dict') as { dict: Uint8Array };
  const created = Jieba.withDict(dict);
  created.loadDict(Buffer.from(PRODUCT_WORDS.map((w) => `${w} ${LEXICON_FREQUENCY} n`).join('\n')));
  segmenter = created;
  return created;
}

const UNIT_CANONICAL = new Map<string, string>([
  ['毫安时', 'mah'], ['毫安', 'mah'], ['mah', 'mah'], ['gb', 'gb'], ['tb', 'tb'], ['ml', 'ml'], ['毫升', 'ml'], ['kg', 'kg'],
  ['公斤', 'kg'], ['千克', 'kg'], ['g', 'g'], ['克', 'g'], ['l', 'l'], ['升', 'l'], ['w', 'w'], ['瓦', 'w'], ['英寸', 'inch'],
  ['寸', 'inch'], ['inch', 'inch'], ['mm', 'mm'], ['毫米', 'mm'], ['cm', 'cm'], ['厘米', 'cm'], ['hz', 'hz'],
]);
/** Longest spelling first, so 毫安时 is not read as 毫安 + 时. */
const UNIT_WORDS = '(毫安时|毫安|mah|gb|tb|ml|毫升|kg|公斤|千克|g|克|l|升|w|瓦|英寸|寸|inch|mm|毫米|cm|厘米|hz)(?![a-z])';
const UNIT_RE = new RegExp(`(\\d+(?:\\.\\d+)?) ?${UNIT_WORDS}`, 'g');
const TOKEN_RE = /(\p{Script=Han}+)|([a-z0-9]+(?:\.[0-9]+)*)/gu;
const SEGMENT_RE = /[a-z]+|[0-9]+(?:\.[0-9]+)*/g;
/** Full-width forms to fold, or whitespace other than a plain space to turn into one. */
const NEEDS_FOLDING = /[\t\n\v\f\r\u00a0\u3000\uff00-\uffef]/;
const STOP_WORDS = new Set(['的', '了', '和', '与', '及', '或', '之', '送']);

function normaliseText(text: string): string {
  const folded = NEEDS_FOLDING.test(text) ? text.normalize('NFKC').replace(/\s+/g, ' ') : text;
  return folded.toLowerCase();
}

/**
 * Smaller than the index's cache of whole pieces, which already remembers every Chinese-only piece
 * it has seen: this one serves the runs inside mixed pieces (适用iphone15手机壳), which are few
 * and recur, and each of its entries holds its own word strings (~250 bytes).
 */
const CACHE_LIMIT = 1 << 16;
const indexSegments = new Map<string, readonly string[]>();

/** A Chinese run inside a mixed piece as index words; such runs repeat across titles, so their segmentation is cached. */
function segmentForIndex(run: string): readonly string[] {
  const cached = indexSegments.get(run);
  if (cached) return cached;
  const words = segmentedForIndex(run);
  if (indexSegments.size >= CACHE_LIMIT) indexSegments.clear();
  indexSegments.set(run, words);
  return words;
}

function segmentedForIndex(run: string): string[] {
  const words: string[] = [];
  for (const word of jieba().cutForSearch(run, false)) {
    const kept = keepWord(word);
    if (kept !== null) words.push(kept);
  }
  return words;
}

function keepWord(word: string): string | null {
  if (STOP_WORDS.has(word)) return null;
  return UNIT_CANONICAL.get(word) ?? word;
}

interface RawToken {
  kind: 'han' | 'alnum' | 'unit';
  text: string;
  /** For alnum: the joined pair with the previous token when only a space separates `mate 60`. */
  joinedWithPrevious: string | null;
}

/**
 * Splits normalised text into units, Han runs and Latin/digit runs. For the index a unit also
 * leaves its bare number and unit word behind (so `20000` and `毫安` find it); a query needs only
 * the canonical token, which implies both.
 */
function rawTokens(text: string, forIndex: boolean): RawToken[] {
  const out: RawToken[] = [];
  const withoutUnits = text.replace(UNIT_RE, (_m, num: string, unit: string) => {
    const canonical = UNIT_CANONICAL.get(unit)!;
    out.push({ kind: 'unit', text: num + canonical, joinedWithPrevious: null });
    if (!forIndex) return ' ';
    out.push({ kind: 'unit', text: canonical, joinedWithPrevious: null });
    return `\u0003${num} `; // the marker cuts the number off the letters before it: `pro256gb` -> `pro`, `256`
  });
  let previousEnd = -2;
  let previousLetters: string | null = null;
  for (const m of withoutUnits.matchAll(TOKEN_RE)) {
    const start = m.index;
    if (m[1] !== undefined) {
      out.push({ kind: 'han', text: m[1], joinedWithPrevious: null });
      previousLetters = null;
      continue;
    }
    const run = m[2]!;
    const spaceOnly = start === previousEnd + 1 && withoutUnits.charCodeAt(previousEnd) === 32;
    const leadingDigits = /^[0-9]+/.exec(run);
    const joined = spaceOnly && previousLetters !== null && leadingDigits ? previousLetters + leadingDigits[0] : null;
    out.push({ kind: 'alnum', text: run, joinedWithPrevious: joined });
    const trailingLetters = /[a-z]+$/.exec(run);
    previousLetters = trailingLetters ? trailingLetters[0] : null;
    previousEnd = start + run.length;
  }
  return out;
}

/** Letter/digit segments of a Latin run, and the letter+digit pairs (`rtx4090ti` -> `rtx4090`). */
function alnumParts(run: string): { segments: string[]; pairs: string[] } {
  const segments = run.match(SEGMENT_RE) ?? [];
  const pairs: string[] = [];
  for (let i = 0; i + 1 < segments.length; i++) {
    const a = segments[i]!;
    const b = segments[i + 1]!;
    if (isLetters(a) && !isLetters(b)) pairs.push(a + b);
  }
  return { segments, pairs };
}

function isLetters(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 97 && c <= 122;
}

/**
 * Index tokens of a field, repeated as often as they occur (term frequency counts). The field is
 * analysed piece by piece (split at spaces): titles are made of recurring phrases, so a consumer
 * can cache by piece (`visitIndexPieces` + `pieceTokens`). What spans a space — `20000 mAh`,
 * `Mate 60` — is a token of its own at the piece boundary.
 */
export function indexTokens(text: string): string[] {
  const out: string[] = [];
  visitIndexPieces(text, 0, {
    addPiece(normalised, start, end) {
      const tokens = pieceTokens(normalised.slice(start, end));
      for (const t of tokens) out.push(t);
      return tokens.length;
    },
    addToken(token) {
      out.push(token);
    },
  });
  return out;
}

/**
 * Where the tokens of a text go: whole pieces (which recur, and so may be cached by their text;
 * `addPiece` gets the piece as a range of the normalised text, so that a cache can look it up
 * without slicing it, and returns how many tokens the piece has), and single tokens spanning two
 * pieces; each with the weight (units) the caller passed along.
 */
export interface TokenSink {
  addPiece(normalised: string, start: number, end: number, units: number): number;
  addToken(token: string, units: number): void;
}

/** Hands the pieces of the normalised text, and the tokens spanning two of them, to `sink`; returns the number of tokens. */
export function visitIndexPieces(text: string, units: number, sink: TokenSink): number {
  let count = 0;
  let previousStart = -1;
  let previousEnd = -1;
  const normalised = normaliseText(text);
  for (let start = 0; start < normalised.length; ) {
    let end = normalised.indexOf(' ', start);
    if (end < 0) end = normalised.length;
    if (end === start) {
      start = end + 1;
      continue;
    }
    count += sink.addPiece(normalised, start, end, units);
    const token = previousEnd < 0 ? null : boundaryToken(normalised, previousStart, previousEnd, start, end);
    if (token !== null) {
      sink.addToken(token, units);
      count++;
    }
    previousStart = start;
    previousEnd = end;
    start = end + 1;
  }
  return count;
}

const ONLY_HAN = /^\p{Script=Han}+$/u;
const ONLY_LETTERS_OR_DIGITS = /^(?:[a-z]+|[0-9]+)$/;

/** The index tokens of one piece of normalised text (no spaces in it). */
export function pieceTokens(piece: string): string[] {
  if (ONLY_HAN.test(piece)) return [...segmentForIndex(piece)];
  return mixedPieceTokens(piece);
}

/**
 * The same, for a caller that caches whole pieces itself (the index): a Chinese-only piece it asks
 * for is new to it (a quarter of a catalogue's pieces are), and would only churn the cache of runs.
 */
export function uncachedPieceTokens(piece: string): string[] {
  if (ONLY_HAN.test(piece)) return segmentedForIndex(piece);
  return mixedPieceTokens(piece);
}

function mixedPieceTokens(piece: string): string[] {
  if (ONLY_LETTERS_OR_DIGITS.test(piece)) return [piece];
  const out: string[] = [];
  for (const token of rawTokens(piece, true)) {
    if (token.kind === 'han') {
      for (const w of segmentForIndex(token.text)) out.push(w);
      continue;
    }
    out.push(token.text);
    if (token.kind !== 'alnum') continue;
    const { segments, pairs } = alnumParts(token.text);
    if (segments.length < 2) continue;
    for (const s of segments) out.push(s);
    for (const p of pairs) if (p !== token.text) out.push(p);
  }
  return out;
}

const LEADING_UNIT_WORD = new RegExp(`^${UNIT_WORDS}`);
const LEADING_NUMBER_WITH_UNIT = new RegExp(`^${UNIT_RE.source}`);

/** The token spanning the pieces [ps, pe) and [ns, ne) of `text`, if any; sliced only when the characters at the boundary call for it. */
function boundaryToken(text: string, ps: number, pe: number, ns: number, ne: number): string | null {
  const last = text.charCodeAt(pe - 1);
  if (isDigit(last)) {
    const unit = LEADING_UNIT_WORD.exec(text.slice(ns, ne));
    return unit ? trailing(text.slice(ps, pe), isNumberChar) + UNIT_CANONICAL.get(unit[1]!)! : null;
  }
  // `Pro 256GB` is a model and a capacity, not a model number `pro256`
  if (isLetter(last) && isDigit(text.charCodeAt(ns))) {
    const next = text.slice(ns, ne);
    if (!LEADING_NUMBER_WITH_UNIT.test(next)) return trailing(text.slice(ps, pe), isLetter) + leading(next, isDigit);
  }
  return null;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => c >= 97 && c <= 122;
const isNumberChar = (c: number) => isDigit(c) || c === 46;

function trailing(s: string, keep: (c: number) => boolean): string {
  let i = s.length;
  while (i > 0 && keep(s.charCodeAt(i - 1))) i--;
  if (s.charCodeAt(i) === 46) i++; // a number does not start with its decimal point
  return s.slice(i);
}

function leading(s: string, keep: (c: number) => boolean): string {
  let i = 0;
  while (i < s.length && keep(s.charCodeAt(i))) i++;
  return s.slice(0, i);
}

/**
 * How a query term matches a document:
 * - `exact`: the document has the term;
 * - `char`: a single Chinese character; the document has a term containing it (壳 finds 手机壳);
 * - `word`: a Chinese word; exact when some live document has it, otherwise the document has a
 *   term containing it (the query segmented 黑瓶 where the titles said 小黑瓶).
 */
export type QueryTermMatch = 'exact' | 'char' | 'word';

export interface QueryTerm {
  text: string;
  match: QueryTermMatch;
}

/** Required terms (all must match) and boost terms (rank documents that have them higher). */
export interface AnalysedQuery {
  required: QueryTerm[];
  boosts: string[];
}

export function analyseQuery(q: string): AnalysedQuery {
  const required = new Map<string, QueryTerm>();
  const boosts = new Set<string>();
  const need = (text: string, match: QueryTermMatch) => {
    if (!required.has(text)) required.set(text, { text, match });
  };
  for (const token of rawTokens(normaliseText(q), false)) {
    if (token.kind === 'unit') {
      need(token.text, 'exact');
    } else if (token.kind === 'han') {
      for (const word of jieba().cut(token.text, false)) {
        const kept = keepWord(word);
        if (kept === null) continue;
        if (kept !== word) need(kept, 'exact');
        else need(kept, [...kept].length === 1 ? 'char' : 'word');
      }
    } else {
      if (token.joinedWithPrevious !== null) boosts.add(token.joinedWithPrevious);
      const { segments, pairs } = alnumParts(token.text);
      for (const s of segments) need(s, 'exact');
      if (segments.length > 1) {
        boosts.add(token.text);
        for (const p of pairs) boosts.add(p);
      }
    }
  }
  for (const t of required.keys()) boosts.delete(t);
  return { required: [...required.values()], boosts: [...boosts] };
}
