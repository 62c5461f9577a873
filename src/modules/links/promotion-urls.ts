import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ConnectorError } from '../sources/connectors/common.ts';
import { JdClient } from '../sources/connectors/jd.ts';
import { PddClient } from '../sources/connectors/pdd.ts';
import type { LinkTarget } from './model.ts';

type Q = Kysely<Database>;

/** Entries each cache holds before it starts over (creators at a source; refused products). */
const CACHE_CAPACITY = 50_000;

/** What a redirect gets for a product without a URL of its own. */
export type PromotionUrl =
  | { kind: 'url'; url: string }
  /** Nothing to send the shopper to: not a platform that makes URLs, not connected, no position id, or the platform refused (`error`). */
  | { kind: 'none'; reason: string; error?: unknown }
  /** The platform did not answer in time, or asked us to slow down: worth trying again. */
  | { kind: 'unavailable'; error: unknown };

/** The credentials and the 推广位 a promotion URL is made with, for one creator at one source. */
export interface Promoter {
  appKey: string;
  appSecret: string;
  baseUrl: string | null;
  /** PDD pid / JD positionId; null when neither the creator nor the source has one. */
  pid: string | null;
}

export type LoadPromoter = (sourceId: string, creatorId: string) => Promise<Promoter | null>;

export interface PromotionUrlsOptions {
  /** How long a source's credentials and a creator's position are trusted before they are read again. */
  ttlMs?: number;
  /** The most a shopper waits for the platform; PDD answers in well under a second. */
  timeoutMs?: number;
  /** How long a product the platform refused is not asked for again. */
  refusedForMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
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
  readonly #load: LoadPromoter;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #refusedForMs: number;
  readonly #fetch: typeof fetch | undefined;
  readonly #now: () => number;
  readonly #onOutcome: (platform: string, outcome: PromotionUrl) => void;
  /** By source and creator; `value` once read (undefined while the read is in flight). */
  readonly #promoters = new Map<string, { promoter: Promise<Promoter | null>; value?: Promoter | null; freshUntilMs: number }>();
  readonly #refused = new Map<string, { reason: string; untilMs: number }>();

  constructor(load: LoadPromoter, options: PromotionUrlsOptions = {}) {
    this.#load = load;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#timeoutMs = options.timeoutMs ?? 3_000;
    this.#refusedForMs = options.refusedForMs ?? 60_000;
    this.#fetch = options.fetch;
    this.#now = options.now ?? Date.now;
    this.#onOutcome = options.onOutcome ?? (() => undefined);
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
    if (!this.makesUrlsFor(target.platform)) return true;
    const entry = this.#promoters.get(`${target.sourceId}\0${target.creatorId}`);
    return entry !== undefined && entry.value === null && entry.freshUntilMs > this.#now();
  }

  /** The URL for one click on a link to `target`, carrying `clickParameter` (the value rules.ts makes). */
  async urlFor(target: LinkTarget, clickParameter: string): Promise<PromotionUrl> {
    if (!this.makesUrlsFor(target.platform)) return { kind: 'none', reason: 'links to this platform are not made per click' };
    const outcome = await this.#made(target, clickParameter);
    this.#onOutcome(target.platform!, outcome);
    return outcome;
  }

  async #made(target: LinkTarget, clickParameter: string): Promise<PromotionUrl> {
    if (target.platform === 'jd' && !target.productUrl) return { kind: 'none', reason: 'a JD link is made from the goods’ materialUrl, and this product has none' };
    const productKey = `${target.sourceId}\0${target.sourceProductId}`;
    const refused = this.#refused.get(productKey);
    if (refused && refused.untilMs > this.#now()) return { kind: 'none', reason: refused.reason };
    let promoter: Promoter | null;
    try {
      promoter = await this.#promoterOf(target.sourceId, target.creatorId);
    } catch (error) {
      return { kind: 'unavailable', error };
    }
    if (!promoter) return { kind: 'none', reason: 'the source is not connected to its API' };
    // PDD makes no link without a 推广位; JD can (the subUnionId alone tells the click).
    if (target.platform === 'pdd' && !promoter.pid) return { kind: 'none', reason: 'no position id for the creator or the source' };
    const credentials = { appKey: promoter.appKey, appSecret: promoter.appSecret, baseUrl: promoter.baseUrl ?? undefined, fetch: this.#fetch };
    try {
      const url =
        target.platform === 'pdd'
          ? await new PddClient(credentials).promotionUrl({ pid: promoter.pid!, goodsSign: target.sourceProductId, customParameters: clickParameter, timeoutMs: this.#timeoutMs })
          : await new JdClient(credentials).promotionUrl({ materialUrl: target.productUrl!, subUnionId: clickParameter, positionId: promoter.pid, timeoutMs: this.#timeoutMs });
      return { kind: 'url', url };
    } catch (error) {
      if (!(error instanceof ConnectorError) || error.retryable) return { kind: 'unavailable', error };
      // Refused credentials are the source's, fixed by the operator: asked again on the next click.
      if (this.#refused.size >= CACHE_CAPACITY) this.#refused.clear();
      if (error.kind !== 'auth') this.#refused.set(productKey, { reason: error.message, untilMs: this.#now() + this.#refusedForMs });
      return { kind: 'none', reason: error.message, error };
    }
  }

  #promoterOf(sourceId: string, creatorId: string): Promise<Promoter | null> {
    const key = `${sourceId}\0${creatorId}`;
    const cached = this.#promoters.get(key);
    if (cached && cached.freshUntilMs > this.#now()) return cached.promoter;
    const promoter = this.#load(sourceId, creatorId);
    if (this.#promoters.size >= CACHE_CAPACITY) this.#promoters.clear();
    const entry: { promoter: Promise<Promoter | null>; value?: Promoter | null; freshUntilMs: number } = { promoter, freshUntilMs: this.#now() + this.#ttlMs };
    this.#promoters.set(key, entry);
    promoter.then(
      (value) => (entry.value = value),
      () => this.#promoters.delete(key), // a failed read is not remembered
    );
    return promoter;
  }
}

/**
 * The source's API credentials, and the 推广位 orders are credited to: the creator's own position
 * at that source when they registered one (so sub-id attribution also works), else the source's.
 */
export async function promoterOf(db: Q, sourceId: string, creatorId: string): Promise<Promoter | null> {
  const connection = await db
    .selectFrom('source_connections')
    .innerJoin('sources', 'sources.id', 'source_connections.source_id')
    .select(['app_key', 'app_secret', 'base_url', 'position_id'])
    .where('source_id', '=', sourceId)
    .where('sources.enabled', '=', 1)
    .executeTakeFirst();
  if (!connection) return null;
  const own = await db.selectFrom('positions').select('sub_id').where('creator_id', '=', creatorId).where('source_id', '=', sourceId).orderBy('created_at').executeTakeFirst();
  return { appKey: connection.app_key, appSecret: connection.app_secret, baseUrl: connection.base_url, pid: own?.sub_id ?? connection.position_id ?? null };
}
