import type { LinkTarget } from './model.ts';
import { clickParameterOf, clickUrlTemplate, type ClickUrlTemplate } from './rules.ts';

export interface ResolvedTarget {
  target: LinkTarget;
  /** Null when the product has no usable URL to send the shopper to. */
  template: ClickUrlTemplate | null;
}

interface Entry extends ResolvedTarget {
  freshUntilMs: number;
}

export type LoadTargets = (codes: readonly string[]) => Promise<LinkTarget[]>;

export interface LinkTargetsOptions {
  /** How long a product URL is trusted before it is read again (an import may change it). */
  ttlMs?: number;
  capacity?: number;
  now?: () => number;
  /** A background refresh failed (the stale entry keeps serving). */
  onRefreshError?: (error: unknown) => void;
}

/**
 * The redirect's view of links, per app node. A link never changes, but its product's URL may
 * (an import): an entry older than the TTL is still served, and re-read in the background, so a
 * changed URL shows within about a TTL and no redirect waits for the refresh. Misses arriving
 * in the same turn of the event loop are read in one query.
 */
export class LinkTargets {
  readonly #entries = new Map<string, Entry>();
  readonly #load: LoadTargets;
  readonly #ttlMs: number;
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #onRefreshError: (error: unknown) => void;
  #batch: { codes: Set<string>; done: Promise<void> } | null = null;
  /** How many times `forgetCreator` ran. */
  #forgotten = 0;

  constructor(load: LoadTargets, options: LinkTargetsOptions = {}) {
    this.#load = load;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#capacity = options.capacity ?? 500_000;
    this.#now = options.now ?? Date.now;
    this.#onRefreshError = options.onRefreshError ?? (() => undefined);
  }

  /** The cached target when there is one (a refresh is started if it is stale), else undefined. */
  cached(code: string): ResolvedTarget | undefined {
    const entry = this.#entries.get(code);
    if (entry && entry.freshUntilMs < this.#now()) {
      // One refresh per TTL; the stale entry keeps serving meanwhile, and if the refresh fails.
      entry.freshUntilMs = this.#now() + this.#ttlMs;
      this.#enqueue(code).catch(this.#onRefreshError);
    }
    return entry;
  }

  /** The target of a code, or null when no such link exists. */
  async resolve(code: string): Promise<ResolvedTarget | null> {
    const hit = this.cached(code);
    if (hit) return hit;
    await this.#enqueue(code);
    return this.#entries.get(code) ?? null;
  }

  #enqueue(code: string): Promise<void> {
    if (!this.#batch) {
      const codes = new Set<string>();
      const done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.#batch = null;
        return this.#loadInto([...codes]);
      });
      this.#batch = { codes, done };
    }
    this.#batch.codes.add(code);
    return this.#batch.done;
  }

  /** Fills the cache with targets read elsewhere (the newest links, at start). */
  prime(targets: readonly LinkTarget[]): void {
    const freshUntilMs = this.#now() + this.#ttlMs;
    for (const target of targets) {
      if (this.#entries.size >= this.#capacity && !this.#entries.has(target.code)) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(target.code, { target, template: templateOf(target), freshUntilMs });
    }
  }

  /**
   * Drops the creator's links (to one source's products, unless `sourceId` is null) so the next
   * redirect reads them again: what a link carries depends on the creator's positions there (a
   * Taobao relationId). A walk of the cache: positions change rarely.
   */
  forgetCreator(creatorId: string, sourceId: string | null): void {
    this.#forgotten++;
    for (const [code, entry] of this.#entries) {
      if (entry.target.creatorId === creatorId && (sourceId === null || entry.target.sourceId === sourceId)) this.#entries.delete(code);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  async #loadInto(codes: string[]): Promise<void> {
    const forgotten = this.#forgotten;
    const targets = await this.#load(codes);
    // A creator's links were forgotten while these were read: what was read may be from before.
    if (forgotten !== this.#forgotten) return this.#loadInto(codes);
    this.prime(targets);
  }
}

function templateOf(target: LinkTarget): ClickUrlTemplate | null {
  if (target.productUrl === null) return null;
  try {
    return clickUrlTemplate(target.productUrl, clickParameterOf(target.platform), target.relationId ? { relationId: target.relationId } : {});
  } catch {
    return null; // not a URL a browser could follow: treated like a product without one
  }
}
