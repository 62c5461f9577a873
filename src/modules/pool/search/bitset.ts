/** Bitsets over document ordinals: 32 ordinals per Int32 word, bit (ordinal & 31) of word (ordinal >>> 5). */

export function wordsFor(ordinals: number): number {
  return (ordinals + 31) >>> 5;
}

export function setBit(bits: Int32Array, ordinal: number): void {
  bits[ordinal >>> 5]! |= 1 << (ordinal & 31);
}

export function clearBit(bits: Int32Array, ordinal: number): void {
  bits[ordinal >>> 5]! &= ~(1 << (ordinal & 31));
}

export function hasBit(bits: Int32Array, ordinal: number): boolean {
  return (bits[ordinal >>> 5]! & (1 << (ordinal & 31))) !== 0;
}

/** A copy of `bits` with room for `words` words. */
export function grownBits(bits: Int32Array, words: number): Int32Array {
  const grown = new Int32Array(words);
  grown.set(bits.subarray(0, Math.min(bits.length, words)));
  return grown;
}
