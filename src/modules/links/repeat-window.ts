import { REPEAT_WINDOW_MS } from './rules.ts';

/**
 * Remembers when each visitor last clicked each link, to flag repeats. It lives in memory on one
 * app node: behind a load balancer a visitor whose clicks land on two nodes is seen twice (a
 * shared store would cost a round trip on every redirect). Bounded: the least recently seen
 * visitor-link pairs are forgotten first (a Map keeps insertion order; a hit is re-inserted).
 */
export class RepeatWindow {
  readonly #lastSeenMs = new Map<string, number>();

  constructor(
    readonly capacity = 200_000,
    readonly windowMs = REPEAT_WINDOW_MS,
  ) {}

  /** Records a click and says whether the same visitor clicked the same link within the window. */
  isRepeat(visitorKey: string, code: string, nowMs: number): boolean {
    const key = `${visitorKey}|${code}`;
    const previous = this.#lastSeenMs.get(key);
    if (previous !== undefined) this.#lastSeenMs.delete(key);
    else if (this.#lastSeenMs.size >= this.capacity) this.#lastSeenMs.delete(this.#lastSeenMs.keys().next().value!);
    this.#lastSeenMs.set(key, nowMs);
    return previous !== undefined && nowMs - previous < this.windowMs;
  }

  get size(): number {
    return this.#lastSeenMs.size;
  }
}
