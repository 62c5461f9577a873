import { createHmac } from 'node:crypto';
import { isbot } from 'isbot';
import { newId } from '../../core/ids.ts';
import type { LinkTargets } from './link-targets.ts';
import type { ClickRow, UaClass } from './model.ts';
import type { PromotionUrls } from './promotion-urls.ts';
import type { ClickRecorder } from './recorder.ts';
import { RepeatWindow } from './repeat-window.ts';
import { clickParameterValue, clickUrl, looksLikeLinkCode, referrerToStore, uaClassOf } from './rules.ts';

export interface Visit {
  ip: string;
  userAgent: string | undefined;
  referrer: string | undefined;
}

export type RedirectOutcome =
  | { kind: 'redirect'; location: string; clickId: string }
  | { kind: 'unknown_link' }
  | { kind: 'no_product_url'; reason?: string }
  /** The product's URL comes from its platform per click, and the platform did not give one in time. */
  | { kind: 'source_unavailable'; error: unknown }
  | { kind: 'not_recorded'; error: unknown };

/** Hex characters of the keyed IP hash kept: 128 bits, plenty to tell visitors apart. */
const IP_HASH_LENGTH = 32;
const UA_CACHE_SIZE = 2_000;
const IP_HASH_CACHE_SIZE = 50_000;

/**
 * A tracked link's redirect: find the link, make a click id, attach it to the product URL in
 * the source's parameter, and answer only once the click is committed. Everything per request is
 * in memory (cached target, keyed hash, cached user-agent verdicts); the one write is batched.
 */
export class Redirector {
  readonly #targets: LinkTargets;
  readonly #recorder: ClickRecorder;
  readonly #secret: Buffer;
  readonly #repeats: RepeatWindow;
  readonly #uaVerdicts = new Map<string, { uaClass: UaClass; isBot: boolean }>();
  readonly #ipHashes = new Map<string, string>();
  readonly #promotions: PromotionUrls | null;

  constructor(targets: LinkTargets, recorder: ClickRecorder, ipHashSecret: Buffer, options: { repeats?: RepeatWindow; promotions?: PromotionUrls } = {}) {
    this.#targets = targets;
    this.#recorder = recorder;
    this.#secret = ipHashSecret;
    this.#repeats = options.repeats ?? new RepeatWindow();
    this.#promotions = options.promotions ?? null;
  }

  async redirect(code: string, visit: Visit): Promise<RedirectOutcome> {
    if (!looksLikeLinkCode(code)) return { kind: 'unknown_link' };
    const resolved = this.#targets.cached(code) ?? (await this.#targets.resolve(code));
    if (!resolved) return { kind: 'unknown_link' };
    const { target, template } = resolved;
    const promoted = this.#promotions !== null && !this.#promotions.skips(target);
    if (!template && !promoted) return { kind: 'no_product_url' };
    const clickId = newId('click');
    const ipHash = this.ipHash(visit.ip);
    const parameter = clickParameterValue(target.platform, clickId, ipHash);
    const { uaClass, isBot } = this.#verdictOn(visit.userAgent);
    let location: string;
    if (promoted) {
      // Asked before the click is stored: a shopper the platform could not serve leaves no click behind.
      const promotion = isBot ? await this.#promotions!.urlForBot(target, parameter) : await this.#promotions!.urlFor(target, parameter);
      if (promotion.kind === 'unavailable') return { kind: 'source_unavailable', error: promotion.error };
      if (promotion.kind === 'url') location = promotion.url;
      else if (template) location = clickUrl(template, parameter); // not connected, or the platform refused it: the product page
      else return { kind: 'no_product_url', reason: promotion.reason };
    } else {
      location = clickUrl(template!, parameter);
    }
    const now = Date.now();
    const row: ClickRow = {
      id: clickId,
      link_code: target.code,
      creator_id: target.creatorId,
      product_id: target.productId,
      source_id: target.sourceId,
      channel: target.channel,
      clicked_at: new Date(now).toISOString(),
      ip_hash: ipHash,
      ua_class: uaClass,
      referrer: referrerToStore(visit.referrer),
      is_bot: isBot ? 1 : 0,
      is_repeat: this.#repeats.isRepeat(ipHash, target.code, now) ? 1 : 0,
    };
    try {
      await this.#recorder.record(row);
    } catch (error) {
      return { kind: 'not_recorded', error };
    }
    return { kind: 'redirect', location, clickId };
  }

  /** HMAC-SHA256 of the IP under the server's secret: comparable across clicks, not reversible without it. */
  ipHash(ip: string): string {
    let hash = this.#ipHashes.get(ip);
    if (hash === undefined) {
      hash = createHmac('sha256', this.#secret).update(ip).digest('hex').slice(0, IP_HASH_LENGTH);
      if (this.#ipHashes.size >= IP_HASH_CACHE_SIZE) this.#ipHashes.clear();
      this.#ipHashes.set(ip, hash);
    }
    return hash;
  }

  /** A missing user-agent counts as a bot: every browser sends one, scripts often do not. */
  #verdictOn(userAgent: string | undefined): { uaClass: UaClass; isBot: boolean } {
    const ua = userAgent ?? '';
    let verdict = this.#uaVerdicts.get(ua);
    if (!verdict) {
      const isBot = ua === '' || isbot(ua);
      verdict = { uaClass: uaClassOf(ua, isBot), isBot };
      if (this.#uaVerdicts.size >= UA_CACHE_SIZE) this.#uaVerdicts.clear();
      this.#uaVerdicts.set(ua, verdict);
    }
    return verdict;
  }
}
