import { PieceTable } from './piece-table.ts';
import { type DocText, type DocTokenSink, visitDocTokens } from './relevance.ts';
import { indexTokens, uncachedPieceTokens } from './tokenize.ts';

/** Pieces of text whose terms are remembered: titles are made of recurring phrases. */
const PIECE_CACHE_LIMIT = 1 << 19;

/**
 * A document's text terms, each once, with its summed units (in the order first met), by term
 * id: what the index posts and fingerprints. The ids are whatever `termId` hands out — the
 * vocabulary's own on the index's thread, a tokenising worker's local ones in a bulk load.
 */
export interface CollectedTerms {
  ids: Int32Array;
  units: Int32Array;
  count: number;
}

/**
 * Collects the text terms of one document after another, without a map per document: a
 * recurring piece of a title, or a recurring brand or category name, is resolved to its term ids
 * once (`pieces`, `fields`), and each term's units are summed in a slot found through `slotOf`.
 */
export class DocTermCollector implements CollectedTerms {
  ids = new Int32Array(64);
  units = new Int32Array(64);
  count = 0;
  private readonly pieces = new PieceTable(PIECE_CACHE_LIMIT);
  private readonly fields = new PieceTable(PIECE_CACHE_LIMIT);
  /** By term id: the document (`stamp`) that last met it, and its slot in `ids` / `units` then. */
  private stampOf = new Int32Array(1 << 12);
  private slotOf = new Int32Array(1 << 12);
  private stamp = 0;

  constructor(private readonly termId: (token: string) => number) {}

  /** Collects the terms of `doc` into `ids` / `units` / `count`; returns the title's length in tokens. */
  collect(doc: DocText): number {
    this.stamp++;
    this.count = 0;
    return visitDocTokens(doc, this.sink);
  }

  private readonly sink: DocTokenSink = {
    addPiece: (normalised, start, end, units) => {
      const table = this.pieces;
      let e = table.find(normalised, start, end);
      if (e < 0) {
        const piece = normalised.slice(start, end);
        e = table.add(piece, uncachedPieceTokens(piece).map(this.termId));
      }
      return this.addEntryUnits(table, e, units);
    },
    addToken: (token, units) => this.addUnits(this.termId(token), units),
    addField: (text, units) => {
      const table = this.fields;
      let e = table.find(text, 0, text.length);
      if (e < 0) e = table.add(text, indexTokens(text).map(this.termId));
      this.addEntryUnits(table, e, units);
    },
  };

  /** Adds `units` to each term of a table's entry; returns how many terms it has. */
  private addEntryUnits(table: PieceTable, e: number, units: number): number {
    const ids = table.termIds;
    const start = table.start(e);
    const count = table.count(e);
    for (let i = 0; i < count; i++) this.addUnits(ids[start + i]!, units);
    return count;
  }

  private addUnits(id: number, units: number): void {
    if (id >= this.stampOf.length) this.growById(id);
    if (this.stampOf[id] === this.stamp) {
      this.units[this.slotOf[id]!]! += units;
      return;
    }
    if (this.count === this.ids.length) this.growSlots();
    this.stampOf[id] = this.stamp;
    this.slotOf[id] = this.count;
    this.ids[this.count] = id;
    this.units[this.count] = units;
    this.count++;
  }

  private growById(id: number): void {
    const size = Math.max(id + 1, this.stampOf.length * 2);
    const stampOf = new Int32Array(size);
    stampOf.set(this.stampOf);
    const slotOf = new Int32Array(size);
    slotOf.set(this.slotOf);
    this.stampOf = stampOf;
    this.slotOf = slotOf;
  }

  private growSlots(): void {
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    const units = new Int32Array(this.units.length * 2);
    units.set(this.units);
    this.ids = ids;
    this.units = units;
  }
}
