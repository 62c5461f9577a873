import { readFileSync } from 'node:fs';
import type { ParsedRow, ProductInput } from '../../pool/model.ts';

/** Test helpers for the feed parsers: inputs as streams, and outputs as arrays. */

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

/** The bytes in chunks of `size` bytes, so that multi-byte characters and lines split across chunks. */
export async function* inChunks(content: Buffer | string, size = 64 * 1024): AsyncGenerator<Buffer> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Text chunks, as a stream in string mode gives them. */
export async function* inStrings(...chunks: string[]): AsyncGenerator<string> {
  yield* chunks;
}

export async function collect(rows: AsyncIterable<ParsedRow>): Promise<ParsedRow[]> {
  const all: ParsedRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

export function productAt(rows: ParsedRow[], row: number): ProductInput {
  const found = rows.find((r) => r.row === row);
  if (found === undefined || !('product' in found)) throw new Error(`row ${row} is not a product: ${JSON.stringify(found)}`);
  return found.product;
}

export function rejections(rows: ParsedRow[]): Array<{ row: number; rejected: string }> {
  return rows.flatMap((r) => ('rejected' in r ? [r] : []));
}

/** The heap growth over a baseline, sampled by the caller while it consumes a stream. */
export class HeapWatch {
  private readonly baseline = process.memoryUsage().heapUsed;
  private peak = this.baseline;

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().heapUsed);
  }

  get growthBytes(): number {
    return this.peak - this.baseline;
  }
}
