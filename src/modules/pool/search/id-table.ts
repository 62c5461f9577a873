/**
 * Product ids by ordinal, and the live ordinal of an id, without a JS string and a Map entry per
 * product (about 90 bytes each; 10M products would spend a gigabyte on ids alone): the ids' code
 * units sit end to end in one arena (one byte each while every id is Latin-1, as `prd_<ulid>` ids
 * are; two once any is not), and an open-addressing table of ordinals, hashed by the id's code
 * units, finds an id's ordinal. Ordinals are appended in order, as `DocColumns` hands them out.
 * Comparisons follow JS string order (code unit by code unit), which the keyset cursors rely on.
 */
export class IdTable {
  private units: Uint8Array | Uint16Array = new Uint8Array(1 << 12);
  /** The id of ordinal o is units[starts[o] .. starts[o + 1]). */
  private starts = new Uint32Array(1 << 10);
  private end = 0;
  /** Ordinals by hash, linear probing; EMPTY or REMOVED otherwise. */
  private slots = new Int32Array(1 << 10).fill(EMPTY);
  /** Slots not EMPTY (live ordinals and REMOVED marks): what makes probes long. */
  private filled = 0;
  private live = 0;

  /** The live ordinal of `id`, -1 if none. */
  find(id: string): number {
    const mask = this.slots.length - 1;
    for (let s = hashString(id) & mask; ; s = (s + 1) & mask) {
      const o = this.slots[s]!;
      if (o === EMPTY) return -1;
      if (o >= 0 && this.equals(o, id)) return o;
    }
  }

  /** Appends `id` as the next ordinal (which it returns); `id` must have no live ordinal. */
  push(id: string): number {
    const o = this.end;
    this.store(o, id);
    if ((this.filled + 1) * 5 > this.slots.length * 3) this.rehash(this.live + 1, false);
    const mask = this.slots.length - 1;
    let s = hashString(id) & mask;
    while (this.slots[s]! >= 0) s = (s + 1) & mask;
    if (this.slots[s] === EMPTY) this.filled++;
    this.slots[s] = o;
    this.live++;
    return o;
  }

  /** `o` has no id any more (its code units stay until `compact`). */
  remove(o: number): void {
    const mask = this.slots.length - 1;
    for (let s = this.hashAt(o) & mask; ; s = (s + 1) & mask) {
      const at = this.slots[s]!;
      if (at === EMPTY) return;
      if (at === o) {
        this.slots[s] = REMOVED;
        this.live--;
        return;
      }
    }
  }

  get(o: number): string {
    const start = this.starts[o]!;
    const end = this.starts[o + 1]!;
    let out = '';
    for (let i = start; i < end; i += CHUNK) out += String.fromCharCode.apply(null, this.units.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]);
    return out;
  }

  /** Is the id of `a` before the id of `b` (JS string order)? */
  less(a: number, b: number): boolean {
    const u = this.units;
    const aStart = this.starts[a]!;
    const aLength = this.starts[a + 1]! - aStart;
    const bStart = this.starts[b]!;
    const bLength = this.starts[b + 1]! - bStart;
    const n = Math.min(aLength, bLength);
    for (let i = 0; i < n; i++) {
      const d = u[aStart + i]! - u[bStart + i]!;
      if (d !== 0) return d < 0;
    }
    return aLength < bLength;
  }

  /** Is the id of `o` at or before `id` (JS string order)? */
  atOrBefore(o: number, id: string): boolean {
    const u = this.units;
    const start = this.starts[o]!;
    const length = this.starts[o + 1]! - start;
    const n = Math.min(length, id.length);
    for (let i = 0; i < n; i++) {
      const d = u[start + i]! - id.charCodeAt(i);
      if (d !== 0) return d < 0;
    }
    return length <= id.length;
  }

  /** Keeps the ordinals `remap` maps to >= 0, renumbered (`remap` is increasing). */
  compact(remap: Int32Array): void {
    const units = this.units;
    const starts = this.starts;
    const end = this.end;
    let kept = 0;
    let used = 0;
    for (let o = 0; o < end; o++) {
      if (remap[o]! < 0) continue;
      const start = starts[o]!;
      const next = starts[o + 1]!;
      starts[kept] = used;
      units.copyWithin(used, start, next);
      used += next - start;
      kept++;
    }
    starts[kept] = used;
    this.end = kept;
    this.live = kept;
    this.rehash(kept, true);
  }

  private store(o: number, id: string): void {
    if (o + 2 > this.starts.length) this.starts = grown(this.starts, (o + 2) * 2);
    const start = this.starts[o]!;
    const end = start + id.length;
    if (end > this.units.length) this.units = grown(this.units, Math.max(end, this.units.length * 2));
    let units = this.units;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      if (c > 0xff && units instanceof Uint8Array) units = this.units = Uint16Array.from(units);
      units[start + i] = c;
    }
    this.starts[o + 1] = end;
    this.end = o + 1;
  }

  /** A table with room for `count` ids at under 60% full, of the live ordinals (after `compact`: all of them). */
  private rehash(count: number, renumbered: boolean): void {
    let size = 1 << 10;
    while (size * 3 < count * 5) size *= 2;
    const old = this.slots;
    const slots = new Int32Array(size).fill(EMPTY);
    const mask = size - 1;
    const place = (o: number) => {
      let s = this.hashAt(o) & mask;
      while (slots[s] !== EMPTY) s = (s + 1) & mask;
      slots[s] = o;
    };
    if (renumbered) {
      for (let o = 0; o < this.end; o++) place(o);
    } else {
      for (let i = 0; i < old.length; i++) if (old[i]! >= 0) place(old[i]!);
    }
    this.slots = slots;
    this.filled = this.live;
  }

  private equals(o: number, id: string): boolean {
    const start = this.starts[o]!;
    if (this.starts[o + 1]! - start !== id.length) return false;
    const u = this.units;
    for (let i = 0; i < id.length; i++) if (u[start + i] !== id.charCodeAt(i)) return false;
    return true;
  }

  private hashAt(o: number): number {
    let h = FNV_OFFSET;
    const u = this.units;
    for (let i = this.starts[o]!, end = this.starts[o + 1]!; i < end; i++) h = Math.imul(h ^ u[i]!, FNV_PRIME);
    return mix(h);
  }
}

const EMPTY = -1;
const REMOVED = -2;
/** Code units per `String.fromCharCode` call: far below any engine's argument limit. */
const CHUNK = 4096;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the code units, with a final mix so that the low bits (the slot) depend on every unit. */
function hashString(id: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), FNV_PRIME);
  return mix(h);
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

function grown<T extends Uint8Array | Uint16Array | Uint32Array>(a: T, size: number): T {
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a);
  return next;
}
