import type { ClickRow } from './model.ts';
import type { ClickWriter } from './store.ts';

export interface ClickRecorderOptions {
  /** How long the first click of a batch waits for company; 0 = until the event loop's current turn ends. */
  maxDelayMs?: number;
  /** A batch this large is written at once, and no transaction is larger. */
  maxBatch?: number;
}

export class RecorderClosed extends Error {
  constructor() {
    super('the click recorder is closed');
  }
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit for clicks. `record` resolves only once its click is committed, so a redirect is
 * answered only with its click stored; a failed write rejects every click of the batch (those
 * redirects answer 503 instead of a 302 without a stored click). One batch is written at a time;
 * clicks arriving meanwhile form the next batch, so the batch grows with the load and the number
 * of commits stays small.
 */
export class ClickRecorder {
  readonly #write: ClickWriter;
  readonly #maxDelayMs: number;
  readonly #maxBatch: number;
  #rows: ClickRow[] = [];
  #waiters: Waiter[] = [];
  #scheduled = false;
  #writing: Promise<void> | null = null;
  #closed = false;

  constructor(write: ClickWriter, options: ClickRecorderOptions = {}) {
    this.#write = write;
    this.#maxDelayMs = options.maxDelayMs ?? 0;
    this.#maxBatch = options.maxBatch ?? 500;
  }

  record(row: ClickRow): Promise<void> {
    if (this.#closed) return Promise.reject(new RecorderClosed());
    return new Promise<void>((resolve, reject) => {
      this.#rows.push(row);
      this.#waiters.push({ resolve, reject });
      this.#schedule();
    });
  }

  /** Clicks waiting for their batch's commit. */
  get pending(): number {
    return this.#rows.length;
  }

  /** Refuses new clicks, then writes every click already received; resolves once all are settled. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#writing || this.#rows.length > 0) {
      if (this.#writing) await this.#writing;
      else this.#flush();
    }
  }

  #schedule(): void {
    if (this.#writing) return; // the write in progress takes the next batch when it is done
    if (this.#rows.length >= this.#maxBatch) {
      queueMicrotask(() => this.#writing || this.#flush());
      return;
    }
    if (this.#scheduled) return;
    this.#scheduled = true;
    const flushNow = () => {
      this.#scheduled = false;
      if (!this.#writing) this.#flush();
    };
    if (this.#maxDelayMs > 0) setTimeout(flushNow, this.#maxDelayMs);
    else setImmediate(flushNow);
  }

  #flush(): void {
    if (this.#rows.length === 0) return;
    const rows = this.#rows.splice(0, this.#maxBatch);
    const waiters = this.#waiters.splice(0, rows.length);
    let written: Promise<void>;
    try {
      written = this.#write(rows);
    } catch (error) {
      written = Promise.reject(error);
    }
    this.#writing = written
      .then(
        () => waiters.forEach((w) => w.resolve()),
        (error: unknown) => waiters.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        this.#writing = null;
        // Clicks that came in during the write have waited long enough: they go now.
        this.#flush();
      });
  }
}
