import type { IdTable } from './id-table.ts';

/**
 * The best `limit` documents seen so far in the order (primary desc, secondary desc, productId
 * asc): a binary heap with the worst kept document at the root, so a candidate that cannot enter
 * costs one comparison.
 */
export class TopK {
  size = 0;
  /** The primary key a candidate must reach to be considered: -Infinity until `limit` are kept. */
  worstPrimary = -Infinity;
  private readonly primary: Float64Array;
  private readonly secondary: Float64Array;
  private readonly ords: Int32Array;

  constructor(
    private readonly limit: number,
    private readonly ids: IdTable,
  ) {
    this.primary = new Float64Array(limit);
    this.secondary = new Float64Array(limit);
    this.ords = new Int32Array(limit);
  }

  offer(primary: number, secondary: number, ordinal: number): void {
    if (this.size < this.limit) {
      this.primary[this.size] = primary;
      this.secondary[this.size] = secondary;
      this.ords[this.size] = ordinal;
      this.siftUp(this.size++);
      if (this.size === this.limit) this.worstPrimary = this.primary[0]!;
      return;
    }
    if (primary < this.primary[0]!) return;
    if (!this.better(primary, secondary, ordinal, 0)) return;
    this.primary[0] = primary;
    this.secondary[0] = secondary;
    this.ords[0] = ordinal;
    this.siftDown(0);
    this.worstPrimary = this.primary[0]!;
  }

  /** The kept documents, best first, with their keys. */
  drain(): { ordinal: number; primary: number; secondary: number }[] {
    const out = [];
    for (let i = 0; i < this.size; i++) {
      out.push({ ordinal: this.ords[i]!, primary: this.primary[i]!, secondary: this.secondary[i]! });
    }
    return out.sort((a, b) => {
      if (a.primary !== b.primary) return b.primary - a.primary;
      if (a.secondary !== b.secondary) return b.secondary - a.secondary;
      return this.ids.less(a.ordinal, b.ordinal) ? -1 : 1;
    });
  }

  /** Is (primary, secondary, ordinal) strictly better than the kept document at heap slot i? */
  private better(primary: number, secondary: number, ordinal: number, i: number): boolean {
    const p = this.primary[i]!;
    if (primary !== p) return primary > p;
    const s = this.secondary[i]!;
    if (secondary !== s) return secondary > s;
    return this.ids.less(ordinal, this.ords[i]!);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (!this.better(this.primary[parent]!, this.secondary[parent]!, this.ords[parent]!, i)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) return;
      const right = left + 1;
      let worst = left;
      if (right < this.size && this.better(this.primary[left]!, this.secondary[left]!, this.ords[left]!, right)) worst = right;
      if (!this.better(this.primary[i]!, this.secondary[i]!, this.ords[i]!, worst)) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  private swap(a: number, b: number): void {
    const p = this.primary[a]!;
    const s = this.secondary[a]!;
    const o = this.ords[a]!;
    this.primary[a] = this.primary[b]!;
    this.secondary[a] = this.secondary[b]!;
    this.ords[a] = this.ords[b]!;
    this.primary[b] = p;
    this.secondary[b] = s;
    this.ords[b] = o;
  }
}
