import type { ClickCountFold } from './store.ts';

export interface ClickCountFoldingOptions {
  everyMs?: number;
  /** Clicks per transaction: a few milliseconds of the event loop, and enough to amortise the pages it dirties. */
  maxClicks?: number;
  onError?: (error: unknown) => void;
}

/**
 * Keeps SQLite's per-link click counts caught up, a short transaction every `everyMs`, off the
 * redirect's commits (they stay appends). Counts are exact whether or not it has run: reads add
 * the clicks it has not folded yet. A full chunk is followed by the next one on the next turn of
 * the event loop, so a backlog (a restart, a burst) is caught up without one long stall.
 */
export class ClickCountFolding {
  readonly #fold: ClickCountFold;
  readonly #maxClicks: number;
  readonly #onError: (error: unknown) => void;
  readonly #timer: NodeJS.Timeout;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(fold: ClickCountFold, options: ClickCountFoldingOptions = {}) {
    this.#fold = fold;
    this.#maxClicks = options.maxClicks ?? 1_000;
    this.#onError = options.onError ?? (() => undefined);
    this.#timer = setInterval(() => this.#run(), options.everyMs ?? 100);
    this.#timer.unref();
  }

  #run(): void {
    if (this.#running || this.#stopped) return;
    this.#running = this.#catchUp()
      .catch(this.#onError)
      .finally(() => {
        this.#running = null;
      });
  }

  async #catchUp(): Promise<void> {
    while (!this.#stopped && (await this.#fold(this.#maxClicks)) === this.#maxClicks) {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Stops folding; resolves once a fold in progress is done (before the database is closed). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }
}
