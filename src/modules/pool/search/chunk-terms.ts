import { type CollectedTerms, DocTermCollector } from './doc-terms.ts';
import type { DocText } from './relevance.ts';
import type { PoolDoc } from './types.ts';

/**
 * Both ends of the wire between a bulk load (`bulk-load.ts`, on the index's thread) and its
 * tokenising worker (`tokenize-worker.mjs`): a chunk of documents goes out as its text only, the
 * online documents' titles, brands and category levels in one string with their lengths beside
 * it (one string is copied, not thousands); their terms come back as numbers, with the worker's
 * own term ids and the text of every id it has not sent before.
 */
export interface TextChunk {
  text: string;
  /** Per online document: title length, brand length (-1: none), number of category levels, each level's length. */
  lengths: Int32Array<ArrayBuffer>;
}

export interface TermsChunk {
  /** Per online document: title length in tokens, number of terms, then (worker term id, units) per term, in the order first met. */
  terms: Int32Array<ArrayBuffer>;
  /** The text of the worker's new term ids, in id order, continuing where the previous chunk's stopped. */
  newTerms: string[];
}

export function textChunk(docs: readonly PoolDoc[], from: number, to: number): TextChunk {
  const lengths: number[] = [];
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    const doc = docs[i]!;
    if (!doc.online) continue;
    parts.push(doc.title);
    lengths.push(doc.title.length);
    if (doc.brand === null) lengths.push(-1);
    else {
      parts.push(doc.brand);
      lengths.push(doc.brand.length);
    }
    lengths.push(doc.categoryPath.length);
    for (const level of doc.categoryPath) {
      parts.push(level);
      lengths.push(level.length);
    }
  }
  // one flat string, which the worker slices in place
  return { text: parts.join(''), lengths: Int32Array.from(lengths) };
}

/** The worker's end: collects each document's terms with term ids of its own, announcing each new one's text once. */
export class ChunkTokenizer {
  private readonly ids = new Map<string, number>();
  private newTerms: string[] = [];
  private readonly collector = new DocTermCollector((token) => this.idOf(token));

  terms({ text, lengths }: TextChunk): TermsChunk {
    const out = new IntBuffer();
    const doc: DocText & { categoryPath: string[] } = { title: '', brand: null, categoryPath: [] };
    for (let at = 0, l = 0; l < lengths.length; ) {
      doc.title = text.slice(at, (at += lengths[l++]!));
      const brandLength = lengths[l++]!;
      doc.brand = brandLength < 0 ? null : text.slice(at, (at += brandLength));
      doc.categoryPath.length = lengths[l++]!;
      for (let c = 0; c < doc.categoryPath.length; c++) doc.categoryPath[c] = text.slice(at, (at += lengths[l++]!));
      const c = this.collector;
      out.push(c.collect(doc));
      out.push(c.count);
      for (let i = 0; i < c.count; i++) {
        out.push(c.ids[i]!);
        out.push(c.units[i]!);
      }
    }
    const newTerms = this.newTerms;
    this.newTerms = [];
    return { terms: out.done(), newTerms };
  }

  private idOf(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(token, id);
      this.newTerms.push(token);
    }
    return id;
  }
}

/**
 * The index's end: a worker's term ids resolved to the vocabulary's, each on first sight. Reading
 * the documents in order, a term is first seen at the same point as when the index tokenises them
 * itself, so the vocabulary hands out the same ids in the same order either way.
 */
export class WorkerTerms {
  private readonly texts: string[] = [];
  private vocabularyIds = new Int32Array(1 << 12).fill(-1);

  /** Lets go of every term's text (a closed load's: millions of them at 10M products). */
  forget(): void {
    this.texts.length = 0;
    this.vocabularyIds = new Int32Array(0);
  }

  learn(newTerms: readonly string[]): void {
    for (const t of newTerms) this.texts.push(t);
    if (this.texts.length > this.vocabularyIds.length) {
      const ids = new Int32Array(Math.max(this.texts.length, this.vocabularyIds.length * 2)).fill(-1);
      ids.set(this.vocabularyIds);
      this.vocabularyIds = ids;
    }
  }

  /** Reads one document's terms from `terms` at `at` into `into` (vocabulary ids); returns where the next document starts. */
  read(terms: Int32Array, at: number, into: ResolvedTerms, textTerm: (token: string) => number): number {
    into.titleLength = terms[at++]!;
    const count = terms[at++]!;
    into.reset(count);
    for (let i = 0; i < count; i++) {
      const local = terms[at++]!;
      let id = this.vocabularyIds[local]!;
      if (id < 0) id = this.vocabularyIds[local] = textTerm(this.texts[local]!);
      into.ids[i] = id;
      into.units[i] = terms[at++]!;
    }
    into.count = count;
    return at;
  }
}

/** One document's terms as read back from a worker. */
export class ResolvedTerms implements CollectedTerms {
  ids = new Int32Array(64);
  units = new Int32Array(64);
  count = 0;
  titleLength = 0;

  reset(count: number): void {
    this.count = 0;
    if (count <= this.ids.length) return;
    this.ids = new Int32Array(count * 2);
    this.units = new Int32Array(count * 2);
  }
}

class IntBuffer {
  private data = new Int32Array(1 << 14);
  private length = 0;

  push(n: number): void {
    if (this.length === this.data.length) {
      const data = new Int32Array(this.data.length * 2);
      data.set(this.data);
      this.data = data;
    }
    this.data[this.length++] = n;
  }

  done(): Int32Array<ArrayBuffer> {
    return this.data.slice(0, this.length);
  }
}
