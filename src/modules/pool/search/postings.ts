import { grownBits, setBit } from './bitset.ts';

/**
 * The documents of one term: ordinals ascending (a document always gets a fresh, larger ordinal
 * when its text changes, so appending keeps the order), and for text terms the impact of the term
 * in each document. Ordinals of removed documents stay until the next compaction; readers test
 * them against the live bitset. A term that grows dense also keeps a bitset of its ordinals, so
 * that membership is one load and the bitset scan can AND it word by word; a dense filter term
 * (a platform, a coupon flag) keeps only the bitset (`bitsOnly`): nothing needs its list then.
 * A dense text term also keeps the highest impact in each block of 32 ordinals (`blockMaxImpact`,
 * one byte a bitset word), and every text term its highest impact (`maxImpact`): upper bounds that
 * let a relevance scan pass over matches whose score cannot reach the page without looking it up.
 */
export class TermPostings {
  ords: Uint32Array;
  impacts: Uint8Array | null;
  /** Ordinals stored in `ords`. */
  length = 0;
  /** Documents posted, stored in `ords` or not: the term's size. */
  docCount = 0;
  bits: Int32Array | null = null;
  bitsOnly = false;
  /** Per bitset word, the highest impact posted in it (dense text terms); raised on append, recomputed by compaction. */
  blockMaxImpact: Uint8Array | null = null;
  /** The highest impact posted (0 for filter terms); an upper bound until compaction recomputes it. */
  maxImpact = 0;

  constructor(
    /** Position in the vocabulary's list of all terms. */
    readonly id: number,
    readonly text: string,
    withImpacts: boolean,
  ) {
    this.ords = new Uint32Array(2);
    this.impacts = withImpacts ? new Uint8Array(2) : null;
  }

  append(ordinal: number, impact: number): void {
    this.docCount++;
    if (this.bitsOnly) {
      this.bits![ordinal >>> 5]! |= 1 << (ordinal & 31);
      return;
    }
    if (this.length === this.ords.length) this.resize(this.length + (this.length >>> 1) + 2);
    this.ords[this.length] = ordinal;
    if (this.impacts) this.impacts[this.length] = impact;
    this.length++;
    if (impact > this.maxImpact) this.maxImpact = impact;
    if (this.bits) {
      const w = ordinal >>> 5;
      this.bits[w]! |= 1 << (ordinal & 31);
      const blockMax = this.blockMaxImpact;
      if (blockMax !== null && impact > blockMax[w]!) blockMax[w] = impact;
    }
  }

  /** Appends the postings `ords[from, to)` (ascending, after every ordinal held) with their impacts, making room for them first. */
  appendRun(ords: Uint32Array, impacts: Uint8Array, from: number, to: number): void {
    this.reserveExtra(to - from);
    if (this.bitsOnly || this.bits !== null) {
      for (let i = from; i < to; i++) this.append(ords[i]!, impacts[i]!);
      return;
    }
    this.ords.set(ords.subarray(from, to), this.length);
    if (this.impacts !== null) {
      this.impacts.set(impacts.subarray(from, to), this.length);
      for (let i = from; i < to; i++) if (impacts[i]! > this.maxImpact) this.maxImpact = impacts[i]!;
    }
    this.length += to - from;
    this.docCount += to - from;
  }

  /** Makes room for `extra` more postings at once (a bulk load knows how many are coming); grows by a quarter at least, so that page after page of a load copies each list a bounded number of times, with less room left unused than growing by half. */
  reserveExtra(extra: number): void {
    if (this.bitsOnly) return;
    const needed = this.length + extra;
    if (needed > this.ords.length) this.resize(Math.max(needed, this.length + (this.length >>> 2)));
  }

  /** Builds (or regrows) the dense bitset to cover `words` words. */
  makeDense(words: number): void {
    if (this.bits !== null && this.bits.length >= words) return;
    if (this.bits !== null) {
      this.bits = grownBits(this.bits, words);
      if (this.blockMaxImpact !== null) this.blockMaxImpact = grownBytes(this.blockMaxImpact, words);
      return;
    }
    const bits = new Int32Array(words);
    for (let i = 0; i < this.length; i++) setBit(bits, this.ords[i]!);
    this.bits = bits;
    if (this.impacts !== null) this.blockMaxImpact = blockMaxima(this.ords, this.impacts, this.length, words);
    if (this.impacts === null) {
      this.bitsOnly = true;
      this.ords = new Uint32Array(0);
      this.length = 0;
    }
  }

  /** The ordinals, read back from the bitset when only that is kept. */
  ordinals(): { ords: Uint32Array; length: number } {
    if (!this.bitsOnly) return { ords: this.ords, length: this.length };
    const bits = this.bits!;
    const ords = new Uint32Array(this.docCount);
    let n = 0;
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w]!;
      while (word !== 0) {
        const bit = word & -word;
        word ^= bit;
        ords[n++] = (w << 5) + 31 - Math.clz32(bit);
      }
    }
    return { ords, length: n };
  }

  /** Gives back the spare room left by growth (after a bulk load). */
  trim(): void {
    if (this.ords.length - this.length > (this.length >>> 3) + 2) this.resize(this.length);
  }

  /** Keeps the ordinals `remap` maps to >= 0, renumbered; `remap` is increasing, so order holds. */
  compact(remap: Int32Array, words: number): void {
    if (this.bitsOnly) {
      const { ords, length } = this.ordinals();
      const bits = new Int32Array(words);
      let kept = 0;
      for (let i = 0; i < length; i++) {
        const to = remap[ords[i]!]!;
        if (to < 0) continue;
        setBit(bits, to);
        kept++;
      }
      this.bits = bits;
      this.docCount = kept;
      return;
    }
    let kept = 0;
    let maxImpact = 0;
    for (let i = 0; i < this.length; i++) {
      const to = remap[this.ords[i]!]!;
      if (to < 0) continue;
      this.ords[kept] = to;
      if (this.impacts) {
        const impact = this.impacts[i]!;
        this.impacts[kept] = impact;
        if (impact > maxImpact) maxImpact = impact;
      }
      kept++;
    }
    this.length = kept;
    this.docCount = kept;
    this.maxImpact = maxImpact;
    this.trim();
    if (this.bits) {
      this.bits = null;
      this.blockMaxImpact = null;
      this.makeDense(words);
    }
  }

  private resize(size: number): void {
    const ords = new Uint32Array(size);
    ords.set(this.ords.subarray(0, this.length));
    this.ords = ords;
    if (this.impacts) {
      const impacts = new Uint8Array(size);
      impacts.set(this.impacts.subarray(0, this.length));
      this.impacts = impacts;
    }
  }
}

/** The highest impact in each block of 32 ordinals, over `words` blocks. */
function blockMaxima(ords: Uint32Array, impacts: Uint8Array, length: number, words: number): Uint8Array {
  const maxima = new Uint8Array(words);
  for (let i = 0; i < length; i++) {
    const w = ords[i]! >>> 5;
    if (impacts[i]! > maxima[w]!) maxima[w] = impacts[i]!;
  }
  return maxima;
}

function grownBytes(bytes: Uint8Array, size: number): Uint8Array {
  const grown = new Uint8Array(size);
  grown.set(bytes.subarray(0, Math.min(bytes.length, size)));
  return grown;
}

/** The first index >= `from` whose ordinal is >= `target` (`length` if none): galloping search. */
export function gallop(ords: Uint32Array, length: number, from: number, target: number): number {
  if (from >= length || ords[from]! >= target) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < length && ords[hi]! < target) {
    lo = hi;
    step <<= 1;
    hi += step;
  }
  if (hi > length) hi = length;
  // ords[lo] < target, and ords[hi] >= target or hi === length
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (ords[mid]! < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

const INITIAL_PENDING = 1 << 16;

/**
 * Postings recorded during a bulk load and appended term by term at the end: one growing buffer
 * instead of every term's arrays growing a step at a time (which costs an allocation each, and the
 * garbage collector's time). The flush sorts them by term first (stably, so each term's ordinals
 * stay ascending) and appends each term's run at once: appending them in the order recorded
 * visited a term's object and arrays per posting, at random.
 */
export class PendingPostings {
  private terms = new Int32Array(INITIAL_PENDING);
  private ords = new Uint32Array(INITIAL_PENDING);
  private impacts = new Uint8Array(INITIAL_PENDING);
  /** Per term id while flushing: how many postings it has recorded, then where its run ends; all zero between flushes. */
  private perTerm = new Int32Array(0);
  count = 0;

  add(termId: number, ordinal: number, impact: number): void {
    if (this.count === this.terms.length) this.grow();
    this.terms[this.count] = termId;
    this.ords[this.count] = ordinal;
    this.impacts[this.count] = impact;
    this.count++;
  }

  /** Appends everything recorded to `all` (indexed by term id); returns the terms that grew. Costs what was recorded, not the vocabulary's size. */
  flushInto(all: readonly TermPostings[]): TermPostings[] {
    if (this.perTerm.length < all.length) this.perTerm = new Int32Array(Math.max(all.length, this.perTerm.length * 2));
    const { perTerm, terms } = this;
    const sortedOrds = new Uint32Array(this.count);
    const sortedImpacts = new Uint8Array(this.count);
    const grown: TermPostings[] = [];
    for (let i = 0; i < this.count; i++) {
      const id = terms[i]!;
      if (perTerm[id]!++ === 0) grown.push(all[id]!);
    }
    let end = 0;
    for (const t of grown) perTerm[t.id] = end += perTerm[t.id]!;
    // backwards, each term's run filled from its end: the order recorded is kept within a run
    for (let i = this.count - 1; i >= 0; i--) {
      const at = --perTerm[terms[i]!]!;
      sortedOrds[at] = this.ords[i]!;
      sortedImpacts[at] = this.impacts[i]!;
    }
    for (let g = 0; g < grown.length; g++) {
      const t = grown[g]!;
      const start = perTerm[t.id]!;
      perTerm[t.id] = 0;
      t.appendRun(sortedOrds, sortedImpacts, start, g + 1 < grown.length ? perTerm[grown[g + 1]!.id]! : this.count);
    }
    this.count = 0;
    return grown;
  }

  /** Room for `size` postings at once (a bulk load knows how many it lets pile up), rather than by doubling. */
  reserve(size: number): void {
    if (size > this.terms.length) this.resize(size);
  }

  /** Gives back the buffers grown past their initial size, and the counts by term (after a bulk load). */
  shrink(): void {
    if (this.terms.length > INITIAL_PENDING) this.resize(Math.max(INITIAL_PENDING, this.count));
    this.perTerm = new Int32Array(0);
  }

  private grow(): void {
    this.resize(this.terms.length * 2);
  }

  private resize(size: number): void {
    const terms = new Int32Array(size);
    terms.set(this.terms.subarray(0, this.count));
    const ords = new Uint32Array(size);
    ords.set(this.ords.subarray(0, this.count));
    const impacts = new Uint8Array(size);
    impacts.set(this.impacts.subarray(0, this.count));
    this.terms = terms;
    this.ords = ords;
    this.impacts = impacts;
  }
}
