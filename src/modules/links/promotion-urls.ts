import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ConnectorError } from '../sources/connectors/common.ts';
import { JdClient } from '../sources/connectors/jd.ts';
import { PddClient } from '../sources/connectors/pdd.ts';
import type { LinkTarget } from './model.ts';

type Q = Kysely<Database>;

/** Entries each cache holds before it starts over (creators at a source; refused products). */
const CACHE_CAPACITY = 50_000;

/**
 * Values read through `load` and kept for a TTL; a failed read is not kept. `settled` gives a
 * fresh value already read, without waiting.
 */
class Remembered<V> {
  readonly #entries = new Map<string, { value: Promise<V>; settled?: { value: V }; freshUntilMs: number }>();

  constructor(
    private readonly load: (key: string) => Promise<V>,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string): Promise<V> {
    const cached = this.#entries.get(key);
    if (cached && cached.freshUntilMs > this.now()) return cached.value;
    if (this.#entries.size >= CACHE_CAPACITY) this.#entries.clear();
    const entry: { value: Promise<V>; settled?: { value: V }; freshUntilMs: number } = { value: this.load(key), freshUntilMs: this.now() + this.ttlMs };
    this.#entries.set(key, entry);
    entry.value.then(
      (value) => (entry.settled = { value }),
      () => this.#entries.get(key) === entry && this.#entries.delete(key),
    );
    return entry.value;
  }

  /** Forgets the values whose keys `matches`: the next `get` reads them again. */
  forget(matches: (key: string) => boolean): void {
    for (const key of this.#entries.keys()) if (matches(key)) this.#entries.delete(key);
  }

  settled(key: string): { value: V } | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.freshUntilMs > this.now() ? entry.settled : undefined;
  }
}

/** What a redirect gets from a platform that makes its links per click. */
export type PromotionUrl =
  | { kind: 'url'; url: string }
  /** Nothing to send the shopper to: not a platform that makes URLs, not connected, no position id, or the platform refused (`error`). */
  | { kind: 'none'; reason: string; error?: unknown }
  /** The platform did not answer in time, or asked us to slow down: worth trying again. */
  | { kind: 'unavailable'; error: unknown };

/** A source's API connection, as promotion links need it. */
export interface SourceApi {
  appKey: string;
  appSecret: string;
  baseUrl: string | null;
  /** The source's 推广位 (PDD pid / JD positionId), used for creators who recorded none there. */
  positionId: string | null;
}

/** Where the connections and the creators' positions are read (the database, in the server). */
export interface PromoterStore {
  connection(sourceId: string): Promise<SourceApi | null>;
  /** The position id the creator recorded for that source, if any. */
  position(sourceId: string, creatorId: string): Promise<string | null>;
}

export interface PromotionUrlsOptions {
  /** How long a source's credentials and a creator's position are trusted before they are read again. */
  ttlMs?: number;
  /** The most a shopper waits for the platform; PDD answers in well under a second. */
  timeoutMs?: number;
  /** How long a product the platform refused is not asked for again. */
  refusedForMs?: number;
  /**
   * How long a URL made for a link may be given again: to bots following that link, and to
   * shoppers while the platform is unavailable (down, too slow, or throttling a burst).
   */
  reusedForMs?: number;
  /**
   * After the platform throttled a source (PDD's 52101, JD's or an HTTP 429), how long links of
   * that source that have a recent URL are given it without asking the platform.
   */
  throttledForMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
  /** Told when a shopper (not a bot) is given a link's recent URL instead of one made for the click. */
  onReused?: (platform: string) => void;
  /** Told of every answer for a platform that makes URLs (for metrics and logs). */
  onOutcome?: (platform: string, outcome: PromotionUrl) => void;
}

/**
 * Promotion URLs made per click, for the platforms whose product URLs earn nothing as they are:
 * PDD's 多多进宝 links must come from `pdd.ddk.goods.promotion.url.generate`, which signs the 推广位
 * and our custom_parameters into the URL; JD Union's from `jd.union.open.promotion.bysubunionid.get`
 * with our subUnionId. Both platforms give those back on the order. One call per click, so the
 * order names the click (attribution rule 1), at the cost of the platform's round trip on those
 * redirects only (docs/decisions.md).
 */
export class PromotionUrls {
  readonly #connections: Remembered<SourceApi | null>;
  readonly #positions: Remembered<string | null>;
  readonly #timeoutMs: number;
  readonly #refusedForMs: number;
  readonly #fetch: typeof fetch | undefined;
  readonly #now: () => number;
  readonly #onOutcome: (platform: string, outcome: PromotionUrl) => void;
  readonly #refused = new Map<string, { reason: string; untilMs: number }>();
  readonly #reusedForMs: number;
  /** The last URL made for each link, for bots (`urlForBot`) and while the platform is unavailable (`urlFor`). */
  readonly #recent = new Map<string, { url: string; untilMs: number; creatorId: string; sourceId: string }>();
  readonly #throttledForMs: number;
  readonly #onReused: (platform: string) => void;
  /** Sources the platform throttled lately, and until when their links' recent URLs are given without asking. */
  readonly #throttled = new Map<string, number>();

  constructor(store: PromoterStore, options: PromotionUrlsOptions = {}) {
    const ttlMs = options.ttlMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    // Connections by source, positions by source and creator: an unconnected source costs one read a TTL, not one per creator.
    this.#connections = new Remembered((sourceId) => store.connection(sourceId), ttlMs, this.#now);
    this.#positions = new Remembered((key) => store.position(...(key.split('\0') as [string, string])), ttlMs, this.#now);
    this.#timeoutMs = options.timeoutMs ?? 3_000;
    this.#refusedForMs = options.refusedForMs ?? 60_000;
    this.#reusedForMs = options.reusedForMs ?? 10 * 60_000;
    this.#throttledForMs = options.throttledForMs ?? 2_000;
    this.#onReused = options.onReused ?? (() => undefined);
    this.#fetch = options.fetch;
    this.#onOutcome = options.onOutcome ?? (() => undefined);
  }

  /**
   * The creator's positions changed (at one source, unless null): the next click reads them again,
   * and the URLs made for their links under the old position are not given again.
   */
  forgetPositionsOf(creatorId: string, sourceId: string | null): void {
    this.#positions.forget((key) => {
      const [keySource, keyCreator] = key.split('\0');
      return keyCreator === creatorId && (sourceId === null || keySource === sourceId);
    });
    for (const [code, recent] of this.#recent) {
      if (recent.creatorId === creatorId && (sourceId === null || recent.sourceId === sourceId)) this.#recent.delete(code);
    }
  }

  /** Whether links to this platform's products are made per click (else the product URL is used as it is). */
  makesUrlsFor(platform: string | null): boolean {
    return platform === 'pdd' || platform === 'jd';
  }

  /**
   * True when a click on `target` is known, without waiting, to get no URL made: another platform,
   * or a source known (within the TTL) not to be connected. Keeps the redirects of unconnected
   * sources (the demo's, a CSV import's) on the synchronous path.
   */
  skips(target: LinkTarget): boolean {
    return !this.makesUrlsFor(target.platform) || this.#connections.settled(target.sourceId)?.value === null;
  }

  /**
   * The URL for one click on a link to `target`, carrying `clickParameter` (the value rules.ts
   * makes). While the platform is unavailable (down, not answering in time, or throttling a live
   * stream's burst of clicks), the URL made for the same link in the last minutes, if any, instead
   * of nothing: it carries an earlier click of the same link, so the order is still credited to the
   * link's creator and product, where a 503 would lose the sale. A product the platform refused
   * gets no such URL.
   */
  async urlFor(target: LinkTarget, clickParameter: string): Promise<PromotionUrl> {
    if (!this.makesUrlsFor(target.platform)) return { kind: 'none', reason: 'links to this platform are not made per click' };
    // Just throttled: a burst's next clicks would be throttled too, each after a round trip.
    const throttledUntil = this.#throttled.get(target.sourceId);
    if (throttledUntil !== undefined && throttledUntil > this.#now()) {
      const recent = this.#reusedFor(target);
      if (recent) return recent;
    }
    const outcome = await this.#made(target, clickParameter);
    this.#onOutcome(target.platform!, outcome);
    if (outcome.kind === 'unavailable') {
      if (outcome.error instanceof ConnectorError && outcome.error.kind === 'rate_limited') {
        if (this.#throttled.size >= CACHE_CAPACITY) this.#throttled.clear();
        this.#throttled.set(target.sourceId, this.#now() + this.#throttledForMs);
      }
      return this.#reusedFor(target) ?? outcome;
    }
    return outcome;
  }

  /** A link's recent URL given to a shopper in place of one made for their click. */
  #reusedFor(target: LinkTarget): PromotionUrl | undefined {
    const recent = this.#recentFor(target.code);
    if (recent) this.#onReused(target.platform!);
    return recent;
  }

  #recentFor(code: string): PromotionUrl | undefined {
    const recent = this.#recent.get(code);
    return recent && recent.untilMs > this.#now() ? { kind: 'url', url: recent.url } : undefined;
  }

  /**
   * The URL for a bot's visit (a crawler, a chat app fetching a preview): the last one made for
   * this link within a few minutes, so bots do not spend the platform's call quota, which real
   * shoppers need; else one made as for anyone. A bot buys nothing, so the click id the reused URL
   * carries (the earlier visitor's) credits no order it would not have.
   */
  async urlForBot(target: LinkTarget, clickParameter: string): Promise<PromotionUrl> {
    return this.#recentFor(target.code) ?? this.urlFor(target, clickParameter);
  }

  async #made(target: LinkTarget, clickParameter: string): Promise<PromotionUrl> {
    if (target.platform === 'jd' && !target.productUrl) return { kind: 'none', reason: 'a JD link is made from the goods’ materialUrl, and this product has none' };
    const productKey = `${target.sourceId}\0${target.sourceProductId}`;
    const refused = this.#refused.get(productKey);
    if (refused && refused.untilMs > this.#now()) return { kind: 'none', reason: refused.reason };
    let connection: SourceApi | null;
    let position: string | null;
    try {
      connection = await this.#connections.get(target.sourceId);
      if (!connection) return { kind: 'none', reason: 'the source is not connected to its API' };
      position = await this.#positions.get(`${target.sourceId}\0${target.creatorId}`);
    } catch (error) {
      return { kind: 'unavailable', error };
    }
    const pid = position ?? connection.positionId;
    // PDD makes no link without a 推广位; JD can (the subUnionId alone tells the click).
    if (target.platform === 'pdd' && !pid) return { kind: 'none', reason: 'no position id for the creator or the source' };
    const credentials = { appKey: connection.appKey, appSecret: connection.appSecret, baseUrl: connection.baseUrl ?? undefined, fetch: this.#fetch };
    try {
      const url =
        target.platform === 'pdd'
          ? await new PddClient(credentials).promotionUrl({ pid: pid!, goodsSign: target.sourceProductId, customParameters: clickParameter, timeoutMs: this.#timeoutMs })
          : await new JdClient(credentials).promotionUrl({ materialUrl: target.productUrl!, subUnionId: clickParameter, positionId: pid, timeoutMs: this.#timeoutMs });
      if (this.#recent.size >= CACHE_CAPACITY) this.#recent.clear();
      this.#recent.set(target.code, { url, untilMs: this.#now() + this.#reusedForMs, creatorId: target.creatorId, sourceId: target.sourceId });
      return { kind: 'url', url };
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.retryable) return { kind: 'unavailable', error };
      // Refused credentials are the source's, fixed by the operator: asked again on the next click.
      if (this.#refused.size >= CACHE_CAPACITY) this.#refused.clear();
      if (error.kind !== 'auth') this.#refused.set(productKey, { reason: error.message, untilMs: this.#now() + this.#refusedForMs });
      return { kind: 'none', reason: error.message, error };
    }
  }
}

/**
 * The database's answers: a source's API connection (enabled sources only), and the 推广位 the
 * creator recorded for that source (the first, when several) — orders are then credited through
 * it too, by the sub-id rule.
 */
export function promoterStore(db: Q): PromoterStore {
  return {
    async connection(sourceId) {
      const row = await db
        .selectFrom('source_connections')
        .innerJoin('sources', 'sources.id', 'source_connections.source_id')
        .select(['app_key', 'app_secret', 'base_url', 'position_id'])
        .where('source_id', '=', sourceId)
        .where('sources.enabled', '=', 1)
        .executeTakeFirst();
      return row ? { appKey: row.app_key, appSecret: row.app_secret, baseUrl: row.base_url, positionId: row.position_id } : null;
    },
    async position(sourceId, creatorId) {
      const row = await db
        .selectFrom('positions')
        .select('sub_id')
        .where('creator_id', '=', creatorId)
        .where('source_id', '=', sourceId)
        .where('kind', '=', 'position')
        .orderBy('created_at')
        .executeTakeFirst();
      return row?.sub_id ?? null;
    },
  };
}
