import { setBit } from './bitset.ts';
import type { TermGroup } from './plan.ts';
import type { TermPostings } from './postings.ts';

/**
 * A term group of a query, made ready for one role in a scan. Membership is answered by the first
 * of: a bitset (`bits`), any of a few member lists (`members`: a union left unmaterialised, e.g.
 * two platforms), or galloping through ascending ordinals (`ords`, `pos` is the cursor). The score
 * contribution at a position is weight x impact for a single term, or precomputed (`contrib`) for
 * a materialised union. `blockMax` (per 32 ordinals) and `maxContrib` bound that contribution.
 */
export interface ScanList {
  ords: Uint32Array | null;
  length: number;
  pos: number;
  impacts: Uint8Array | null;
  weight: number;
  contrib: Int32Array | null;
  bits: Int32Array | null;
  members: ScanList[] | null;
  /** The highest impact per block of 32 ordinals (a dense term), to be multiplied by `weight`. */
  blockMax: Uint8Array | null;
  /** The highest contribution any of its documents can make. */
  maxContrib: number;
}

/**
 * - `driver`: walked in order by the posting scan (needs ordinals);
 * - `member`: tested for each candidate of the driver;
 * - `stream`: ANDed word by word by the bitset scan (needs a bitset);
 * - `score`: looked up for the relevance score (needs ordinals and contributions).
 */
export type ListRole = 'driver' | 'member' | 'stream' | 'score';

/** Beyond this many terms (a one-character query expands to every term containing it), a union is materialised. */
const MAX_MEMBERS = 16;

/**
 * Builds scan lists, reusing per-ordinal scratch space across queries; one query at a time
 * (`startQuery` hands the pooled bitsets back).
 */
export class ListBuilder {
  private words = 0;
  private capacity = 0;
  private markBits = new Int32Array(0);
  private bestContrib = new Int32Array(0);
  private readonly streamPool: Int32Array[] = [];
  private streamsInUse = 0;
  private materialised = new Map<TermGroup, Materialised>();

  startQuery(words: number, capacity: number): void {
    this.words = words;
    this.capacity = capacity;
    this.streamsInUse = 0;
    this.materialised = new Map();
  }

  list(group: TermGroup, role: ListRole): ScanList {
    if (group.terms.length === 1) {
      const t = group.terms[0]!;
      // a dense filter term keeps only its bitset: a driver needs its ordinals read back
      if (role === 'driver' && t.bitsOnly) return { ...EMPTY, ...t.ordinals(), bits: t.bits };
      return this.termList(t, group.weights[0]!, role === 'stream');
    }
    if (role === 'stream') return { ...EMPTY, bits: this.unionBits(group) };
    if (role === 'member' && group.terms.length <= MAX_MEMBERS) {
      return { ...EMPTY, members: group.terms.map((t, k) => this.termList(t, group.weights[k]!, false)) };
    }
    const { ords, contrib, maxContrib } = this.materialise(group);
    return { ...EMPTY, ords, length: ords.length, contrib, maxContrib };
  }

  private termList(t: TermPostings, weight: number, needBits: boolean): ScanList {
    let bits = t.bits;
    if (needBits && bits === null) {
      bits = this.borrowBits();
      for (let i = 0; i < t.length; i++) setBit(bits, t.ords[i]!);
    }
    return { ords: t.ords, length: t.length, pos: 0, impacts: t.impacts, weight, contrib: null, bits, members: null, blockMax: t.blockMaxImpact, maxContrib: weight * t.maxImpact };
  }

  private unionBits(group: TermGroup): Int32Array {
    const bits = this.borrowBits();
    for (const t of group.terms) {
      if (t.bits !== null) {
        const tb = t.bits;
        for (let w = 0; w < this.words; w++) bits[w]! |= tb[w]!;
      } else {
        for (let i = 0; i < t.length; i++) setBit(bits, t.ords[i]!);
      }
    }
    return bits;
  }

  /** A zeroed bitset of the current width, valid until the next `startQuery`. */
  borrowBits(): Int32Array {
    let bits = this.streamPool[this.streamsInUse];
    if (bits === undefined || bits.length < this.words) {
      bits = new Int32Array(this.words);
      this.streamPool[this.streamsInUse] = bits;
    } else {
      bits.fill(0, 0, this.words);
    }
    this.streamsInUse++;
    return bits;
  }

  /** The union as ascending ordinals, each with its best weight x impact over the terms containing it. */
  private materialise(group: TermGroup): Materialised {
    const done = this.materialised.get(group);
    if (done) return done;
    if (this.bestContrib.length < this.capacity) this.bestContrib = new Int32Array(this.capacity);
    if (this.markBits.length < this.words) this.markBits = new Int32Array(this.words);
    const marks = this.markBits;
    const best = this.bestContrib;
    let count = 0;
    let minWord = this.words;
    let maxWord = -1;
    group.terms.forEach((t, k) => {
      const weight = group.weights[k]!;
      const { ords, length } = t.ordinals();
      const impacts = t.impacts;
      for (let i = 0; i < length; i++) {
        const o = ords[i]!;
        const c = impacts === null ? 0 : weight * impacts[i]!;
        const w = o >>> 5;
        const bit = 1 << (o & 31);
        if ((marks[w]! & bit) === 0) {
          marks[w]! |= bit;
          best[o] = c;
          count++;
          if (w < minWord) minWord = w;
          if (w > maxWord) maxWord = w;
        } else if (c > best[o]!) {
          best[o] = c;
        }
      }
    });
    const ords = new Uint32Array(count);
    const contrib = new Int32Array(count);
    let maxContrib = 0;
    let n = 0;
    for (let w = minWord; w <= maxWord; w++) {
      let word = marks[w]!;
      if (word === 0) continue;
      marks[w] = 0; // scratch is left all zero for the next union
      while (word !== 0) {
        const bit = word & -word;
        word ^= bit;
        const o = (w << 5) + 31 - Math.clz32(bit);
        ords[n] = o;
        contrib[n++] = best[o]!;
        if (best[o]! > maxContrib) maxContrib = best[o]!;
      }
    }
    const result = { ords, contrib, maxContrib };
    this.materialised.set(group, result);
    return result;
  }
}

interface Materialised {
  ords: Uint32Array;
  contrib: Int32Array;
  maxContrib: number;
}

const EMPTY: ScanList = { ords: null, length: 0, pos: 0, impacts: null, weight: 0, contrib: null, bits: null, members: null, blockMax: null, maxContrib: 0 };
