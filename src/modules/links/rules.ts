import type { UaClass } from './model.ts';

/** Base62: short, URL-safe, and no character a chat app would mangle. */
const CODE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^9 ≈ 1.3e16 codes: guessing a live one is hopeless even with millions of links. */
export const LINK_CODE_LENGTH = 9;
/** Bytes at or above 248 (= 4 x 62) are skipped, so every character is equally likely. */
const UNBIASED_BYTE_LIMIT = 248;
const LINK_CODE_PATTERN = /^[0-9A-Za-z]{6,16}$/;

/**
 * A link code from random bytes, or null when too few bytes were usable (ask again with fresh
 * bytes). Pure, so the caller owns the randomness (crypto in production, fixed bytes in tests).
 */
export function linkCodeFrom(randomBytes: Uint8Array): string | null {
  let code = '';
  for (const byte of randomBytes) {
    if (byte >= UNBIASED_BYTE_LIMIT) continue;
    code += CODE_ALPHABET[byte % 62];
    if (code.length === LINK_CODE_LENGTH) return code;
  }
  return null;
}

/** Cheap shape check before any lookup, so junk paths never reach the cache or the database. */
export function looksLikeLinkCode(value: string): boolean {
  return LINK_CODE_PATTERN.test(value);
}

export function trackedPath(code: string): string {
  return `/r/${code}`;
}

/**
 * The query parameter each source reads the click id back from (it comes back on the order):
 * - PDD DDK `custom_parameters` (pdd.ddk.goods.promotion.url.generate; returned on
 *   pdd.ddk.order.list.increment.get), a JSON string of at most 64 bytes whose `uid` identifies the
 *   shopper and `sid` the context: we send {"uid":"<visitor>","sid":"<click id>"};
 * - JD Union `subUnionId` (jd.union.open.promotion.bysubunionid.get; letters, digits, underscore);
 * - Taobao `external_id` (淘宝客外部用户标记, a free string of ours). `relation_id` is not ours to
 *   set: Taobao assigns it to a registered channel (taobao.tbk.sc.publisher.info.save);
 * - everyone else (merchants, own shops, Youzan, Weimob…) `vt_click`, documented for merchants.
 */
const CLICK_PARAMETER: Record<string, string> = { pdd: 'custom_parameters', jd: 'subUnionId', taobao: 'external_id' };
export const GENERIC_CLICK_PARAMETER = 'vt_click';

export function clickParameterOf(platform: string | null): string {
  return (platform !== null && CLICK_PARAMETER[platform]) || GENERIC_CLICK_PARAMETER;
}

/** Characters of the visitor key sent as PDD's `uid`, keeping custom_parameters within 64 bytes. */
export const PDD_UID_LENGTH = 12;

/** The parameter's value: the click id, wrapped in PDD's JSON; `visitorKey` is a keyed IP hash. */
export function clickParameterValue(platform: string | null, clickId: string, visitorKey: string): string {
  if (platform === 'pdd') return `{"uid":"${visitorKey.slice(0, PDD_UID_LENGTH)}","sid":"${clickId}"}`;
  return clickId;
}

/** The click id an order carried back in PDD's custom_parameters (our JSON, or a bare id). */
export function clickIdFromCustomParameters(value: string): string | null {
  if (/^clk_[0-9a-z]+$/.test(value)) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    const sid = typeof parsed === 'object' && parsed !== null ? (parsed as { sid?: unknown }).sid : undefined;
    return typeof sid === 'string' && /^clk_[0-9a-z]+$/.test(sid) ? sid : null;
  } catch {
    return null; // not JSON: someone else's custom parameter, no click of ours
  }
}

/**
 * A product URL split around the click parameter's value, computed once per link so a redirect
 * only concatenates. Existing parameters keep their exact encoding (a signed URL stays valid);
 * an earlier value of our parameter, or of a `fixed` one (the link's own, such as Taobao's
 * relationId), is dropped; the fragment stays last.
 */
export interface ClickUrlTemplate {
  head: string;
  tail: string;
}

export function clickUrlTemplate(productUrl: string, parameter: string, fixed: Readonly<Record<string, string>> = {}): ClickUrlTemplate {
  const url = new URL(productUrl);
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && queryKeyOf(pair) !== parameter && !Object.hasOwn(fixed, queryKeyOf(pair)));
  for (const [key, value] of Object.entries(fixed)) kept.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  kept.push(`${encodeURIComponent(parameter)}=`);
  const hash = url.hash;
  url.search = '';
  url.hash = '';
  return { head: `${url.href}?${kept.join('&')}`, tail: hash };
}

function queryKeyOf(pair: string): string {
  const raw = pair.split('=', 1)[0]!.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // a malformed escape in someone else's key: compare it as written
  }
}

export function clickUrl(template: ClickUrlTemplate, value: string): string {
  return template.head + encodeURIComponent(value) + template.tail;
}

const TABLET = /ipad|tablet|playbook|silk|kindle|android(?!.*mobi)/i;
const MOBILE = /mobi|iphone|ipod|android|windows phone|harmonyos|openharmony/i;
const DESKTOP = /windows nt|macintosh|x11|linux|cros/i;

/**
 * A coarse device class from the user-agent, for the creator's dashboard; deliberately simple
 * (iPadOS 13+ says "Macintosh" and counts as desktop).
 */
export function uaClassOf(userAgent: string, isBot: boolean): UaClass {
  if (isBot) return 'bot';
  if (TABLET.test(userAgent)) return 'tablet';
  if (MOBILE.test(userAgent)) return 'mobile';
  if (DESKTOP.test(userAgent)) return 'desktop';
  return 'unknown';
}

export const MAX_REFERRER_LENGTH = 255;

export function referrerToStore(referrer: string | undefined): string | null {
  if (!referrer) return null;
  return referrer.length > MAX_REFERRER_LENGTH ? referrer.slice(0, MAX_REFERRER_LENGTH) : referrer;
}

/** A click by the same visitor on the same link within this window of their previous one is a repeat. */
export const REPEAT_WINDOW_MS = 30 * 60 * 1000;
