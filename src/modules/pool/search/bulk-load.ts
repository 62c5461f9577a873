import { Worker } from 'node:worker_threads';
import { textChunk, type TermsChunk, type TextChunk, WorkerTerms } from './chunk-terms.ts';
import type { PoolBulkLoad, PoolDoc } from './types.ts';

/** What a bulk load needs of the index it writes to (`MemoryPoolIndex`). */
export interface BulkTarget {
  upsertMany(docs: readonly PoolDoc[]): void;
  /** Makes room for `count` more documents at once, as `upsertMany` does for a page. */
  reserveMore(count: number): void;
  /** Writes `docs[from, to)`, whose text the worker has tokenised into `chunk`; their postings may wait for `endBulkLoad` (or the index's next use). */
  upsertTokenised(docs: readonly PoolDoc[], from: number, to: number, chunk: TermsChunk, terms: WorkerTerms): void;
  endBulkLoad(): void;
}

export interface BulkLoadOptions {
  /** A page this small, while no worker is running yet, is written on this thread (a worker takes a few hundred ms to start). */
  inlineBelow?: number;
  /** Documents per message to the worker. */
  chunkSize?: number;
}

const INLINE_BELOW = 5_000;
/** About 5 ms of tokenising: small enough that the two threads wait little for each other at a page's start and end. */
const CHUNK_SIZE = 1_000;

/**
 * Many pages of documents into the index, the same as `upsertMany` page by page, with the
 * tokenising (about half of the CPU it takes) done by a worker thread: the worker tokenises one
 * chunk of a page while this thread writes the previous one. Each page is in the index when
 * `add` resolves (pages are added one at a time): its postings may still wait to be appended,
 * which any search or upsert does first. `close` appends them, stops the worker and frees its
 * caches.
 */
export class BulkLoad implements PoolBulkLoad {
  private worker: TokenizerThread | null = null;
  private readonly terms = new WorkerTerms();
  private readonly inlineBelow: number;
  private readonly chunkSize: number;
  private closed = false;
  private failed = false;
  private adding = false;

  constructor(
    private readonly index: BulkTarget,
    options: BulkLoadOptions = {},
  ) {
    this.inlineBelow = options.inlineBelow ?? INLINE_BELOW;
    this.chunkSize = options.chunkSize ?? CHUNK_SIZE;
  }

  async add(docs: readonly PoolDoc[]): Promise<void> {
    if (this.failed) throw new Error('this bulk load failed earlier (its worker\'s term ids may be out of step): start another');
    if (this.closed) throw new Error('this bulk load is closed');
    if (this.adding) throw new Error('a bulk load takes one page at a time: await the previous add');
    if (this.worker === null && docs.length < this.inlineBelow) {
      this.index.upsertMany(docs);
      return;
    }
    const worker = (this.worker ??= new TokenizerThread());
    const chunks: Promise<TermsChunk>[] = [];
    for (let from = 0; from < docs.length; from += this.chunkSize) chunks.push(worker.tokenize(textChunk(docs, from, Math.min(docs.length, from + this.chunkSize))));
    this.adding = true;
    try {
      this.index.reserveMore(docs.length);
      for (let c = 0; c < chunks.length; c++) {
        const chunk = await chunks[c]!;
        const from = c * this.chunkSize;
        this.terms.learn(chunk.newTerms);
        this.index.upsertTokenised(docs, from, Math.min(docs.length, from + this.chunkSize), chunk, this.terms);
      }
    } catch (error) {
      this.failed = true;
      void Promise.allSettled(chunks); // the chunks not awaited: their failure is this one's
      throw error;
    } finally {
      this.adding = false;
    }
  }

  async close(): Promise<void> {
    if (!this.closed) this.index.endBulkLoad();
    this.closed = true;
    this.terms.forget();
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.close();
  }
}

type Reply = { id: number; terms?: TermsChunk; error?: string };

/** The worker thread of one bulk load, answering chunks in the order they were sent. */
class TokenizerThread {
  private readonly worker = new Worker(new URL('./tokenize-worker.mjs', import.meta.url));
  private readonly pending = new Map<number, { resolve: (t: TermsChunk) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** Why the worker is gone, once it is: a message to it then would never be answered. */
  private gone: Error | null = null;

  constructor() {
    this.worker.unref();
    this.worker.on('message', ({ id, terms, error }: Reply) => {
      const waiting = this.pending.get(id);
      if (!waiting) return;
      this.pending.delete(id);
      if (this.pending.size === 0) this.worker.unref();
      if (error !== undefined) waiting.reject(new Error(`the pool index's tokenising worker failed: ${error}`));
      else waiting.resolve(terms!);
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`the pool index's tokenising worker exited (${code})`)));
  }

  tokenize(chunk: TextChunk): Promise<TermsChunk> {
    const id = this.nextId++;
    return new Promise<TermsChunk>((resolve, reject) => {
      if (this.gone) return reject(this.gone);
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ id, chunk }, [chunk.lengths.buffer]);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    this.gone ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
