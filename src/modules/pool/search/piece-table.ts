/**
 * Remembers the term ids of pieces of text (a title's space-separated pieces, a brand, a category
 * name), looked up by a range of a longer string without slicing it: an open-addressing table of
 * entry numbers (linear probing, at most half full) beside flat arrays of each entry's hash, text
 * and span of term ids. A `Map` from the sliced piece cost a string allocation, V8's hashing and a
 * small array per entry (~250 ns a lookup at a million entries); this is a hash over the code
 * units, a probe and a compare. Forgets everything once `limit` entries are held.
 */
export class PieceTable {
  /** Entry number + 1 by hash slot; 0 is an empty slot. */
  private slots = new Int32Array(1 << 10);
  private hashes = new Int32Array(1 << 9);
  /** Per entry, where its term ids start in `termIds` and how many there are. */
  private spans = new Int32Array(1 << 10);
  private readonly keys: string[] = [];
  private termCount = 0;
  /** The term ids of every entry, one span each (see `start` / `count`). */
  termIds = new Int32Array(1 << 12);
  size = 0;

  constructor(private readonly limit: number) {}

  /** The entry of `text.slice(start, end)`, or -1. */
  find(text: string, start: number, end: number): number {
    const h = hashRange(text, start, end);
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = slots[s]! - 1;
      if (e < 0) return -1;
      if (this.hashes[e] === h && sameText(this.keys[e]!, text, start, end)) return e;
    }
  }

  /** Adds a piece not held yet with its term ids; returns its entry. */
  add(piece: string, ids: readonly number[]): number {
    if (this.size >= this.limit) this.clear();
    if ((this.size + 1) * 2 > this.slots.length) this.grow();
    const e = this.size++;
    const h = hashRange(piece, 0, piece.length);
    this.keys[e] = piece;
    this.hashes[e] = h;
    if (this.termCount + ids.length > this.termIds.length) this.termIds = grown(this.termIds, Math.max(this.termIds.length * 2, this.termCount + ids.length));
    this.spans[2 * e] = this.termCount;
    this.spans[2 * e + 1] = ids.length;
    for (let i = 0; i < ids.length; i++) this.termIds[this.termCount++] = ids[i]!;
    const mask = this.slots.length - 1;
    let s = h & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = e + 1;
    return e;
  }

  /** Where entry `e`'s term ids start in `termIds`. */
  start(e: number): number {
    return this.spans[2 * e]!;
  }

  count(e: number): number {
    return this.spans[2 * e + 1]!;
  }

  private clear(): void {
    this.slots.fill(0);
    this.keys.length = 0;
    this.size = 0;
    this.termCount = 0;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.size; e++) {
      let s = this.hashes[e]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = e + 1;
    }
    this.slots = slots;
    this.hashes = grown(this.hashes, slots.length >>> 1);
    this.spans = grown(this.spans, slots.length);
  }
}

/** FNV-1a over the code units, then a final mix so that linear probing sees well-spread low bits. */
function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

function sameText(key: string, text: string, start: number, end: number): boolean {
  if (key.length !== end - start) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

function grown(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a.subarray(0, Math.min(a.length, size)));
  return b;
}
