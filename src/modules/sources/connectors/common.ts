import { createHash, createHmac } from 'node:crypto';
import type { Platform } from '../../pool/model.ts';

/**
 * What the platform connectors share: the error they throw, request signing, exact decimal
 * parsing (yuan -> fen, percent / per mille -> bps), the retry loop and the form POST.
 */

/**
 * How a failure should be treated. Only `rate_limited` and `unavailable` are worth retrying:
 * auth, signature and parameter errors fail the same way every time.
 */
export type ConnectorErrorKind = 'auth' | 'invalid_request' | 'rate_limited' | 'unavailable' | 'bad_response' | 'platform';

export class ConnectorError extends Error {
  constructor(
    readonly platform: Platform,
    /** The platform's own code (PDD error_code, JD code, Taobao code[/sub_code]) or ours: network, http_503… */
    readonly code: string,
    /** The platform's own words (or ours), without the platform and code in front. */
    readonly detail: string,
    readonly kind: ConnectorErrorKind,
  ) {
    super(`${platform} ${code}: ${detail}`);
    this.name = 'ConnectorError';
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable';
  }
}

// --- signing -------------------------------------------------------------------------------

export type SignParams = Readonly<Record<string, string>>;

/**
 * Every key and value, keys sorted by code point, concatenated as key+value with no separator.
 * `sign` itself and empty values take no part (PDD, JD and Taobao TOP all document the same rule).
 */
export function signingBase(params: SignParams): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '')
    .sort()
    .map((k) => `${k}${params[k]}`)
    .join('');
}

/** upper(md5(secret + base + secret)): PDD `sign`, JD `sign_method=md5`, Taobao `sign_method=md5`. */
export function signMd5(params: SignParams, secret: string): string {
  return createHash('md5').update(`${secret}${signingBase(params)}${secret}`, 'utf8').digest('hex').toUpperCase();
}

/** upper(hmac_md5(key = secret, base)): Taobao TOP `sign_method=hmac`. */
export function signHmacMd5(params: SignParams, secret: string): string {
  return createHmac('md5', secret).update(signingBase(params), 'utf8').digest('hex').toUpperCase();
}

// --- exact decimals ------------------------------------------------------------------------

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * A decimal ("59.90", 1.13, "20.5") as an integer count of 10^-decimals units, by string
 * arithmetic: no float is ever multiplied. A JSON number goes through its shortest round-trip
 * representation (1.13 -> "1.13"), which is exactly the literal the platform sent.
 * Digits beyond `decimals` are rejected unless they are zeros ("59.900" is fine, "0.005" fen is
 * not): an amount we cannot represent is an error, never silently rounded.
 */
export function parseDecimalScaled(value: unknown, decimals: number): number {
  const text = decimalText(value);
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`not a decimal number: ${JSON.stringify(value)}`);
  const [, sign, whole, fraction = ''] = m;
  if (/[^0]/.test(fraction.slice(decimals))) {
    throw new RangeError(`more than ${decimals} decimal places: ${text}`);
  }
  const scaled = Number(`${whole}${fraction.slice(0, decimals).padEnd(decimals, '0')}`);
  if (!Number.isSafeInteger(scaled)) throw new RangeError(`out of range: ${text}`);
  return sign === '-' && scaled !== 0 ? -scaled : scaled;
}

function decimalText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) {
    const text = String(value);
    if (/e/i.test(text)) throw new RangeError(`not a plain decimal: ${text}`);
    return text;
  }
  throw new RangeError(`not a decimal number: ${JSON.stringify(value)}`);
}

/** Yuan ("59.90", 1.13) -> fen (5990, 113). */
export function yuanToFen(value: unknown): number {
  return parseDecimalScaled(value, 2);
}

/**
 * The rate units the platforms use. bps = value x 10^decimals:
 * percent (JD commissionShare 20.5 -> 2050), per mille (PDD promotion_rate 125 -> 1250),
 * hundredths of a percent (Taobao commission_rate "1550" -> 1550).
 */
export type RateUnit = 'percent' | 'per_mille' | 'hundredths_of_percent';
const RATE_DECIMALS: Record<RateUnit, number> = { percent: 2, per_mille: 1, hundredths_of_percent: 0 };

export function rateToBps(value: unknown, unit: RateUnit): number {
  return parseDecimalScaled(value, RATE_DECIMALS[unit]);
}

const SALES_TIP = /^(\d+(?:\.\d+)?)(万|亿)?\+?$/;
const CHINESE_MAGNITUDE: Record<string, number> = { '': 0, 万: 4, 亿: 8 };

/** Chinese sales counts as shown to shoppers: "10万+" -> 100000, "2.5万+" -> 25000, "3000+" -> 3000. */
export function parseChineseCount(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const m = typeof value === 'string' ? SALES_TIP.exec(value.trim()) : null;
  if (!m) throw new RangeError(`not a sales count: ${JSON.stringify(value)}`);
  return parseDecimalScaled(m[1], CHINESE_MAGNITUDE[m[2] ?? '']!);
}

/**
 * A shop rating in ten-thousandths of a point (4.8230 -> 48230) as hundredths on the 0–5 scale
 * (482), rounded half up; null when outside 0–5. Ratings are not money, so rounding is fine here.
 */
export function ratingHundredths(tenThousandths: number): number | null {
  if (!Number.isSafeInteger(tenThousandths) || tenThousandths < 0 || tenThousandths > 50_000) return null;
  return Math.floor((tenThousandths + 50) / 100);
}

// --- time ----------------------------------------------------------------------------------

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** 'yyyy-MM-dd HH:mm:ss' in Beijing time, the timestamp format of the JD and Taobao gateways. */
export function shanghaiTimestamp(now: Date = new Date()): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

const SHANGHAI_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}:\d{2}))?$/;

/** '2026-11-20' or '2026-11-20 10:00:00', Beijing time -> ISO UTC; null when not of that shape. */
export function shanghaiDateTimeToIso(text: string): string | null {
  const m = SHANGHAI_DATE_TIME.exec(text.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}.000Z`);
  return Number.isNaN(ms) ? null : new Date(ms - SHANGHAI_OFFSET_MS).toISOString();
}

// --- retry ---------------------------------------------------------------------------------

export interface RetryPolicy {
  maxRetries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, minBackoffMs: 500, maxBackoffMs: 30_000 };

/**
 * Delay before retry number `retry` (0-based): the exponential ceiling min(max, min x 2^retry),
 * of which a random half is kept ("equal jitter") so that clients throttled together spread out.
 */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.minBackoffMs * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Runs `attempt`, retrying retryable ConnectorErrors up to policy.maxRetries times. */
export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof ConnectorError) || !e.retryable) throw e;
      if (retry >= policy.maxRetries) {
        throw new ConnectorError(e.platform, e.code, `${e.detail} (gave up after ${retry} retries)`, e.kind);
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs(retry, policy)));
    }
  }
}

// --- HTTP ----------------------------------------------------------------------------------

export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * POSTs the signed parameters as a form and returns the parsed JSON body. Network failures and
 * HTTP 5xx are `unavailable`, HTTP 429 `rate_limited` — both retried; other statuses fail.
 */
export async function postForm(fetchImpl: typeof fetch, url: string, params: SignParams, platform: Platform, timeoutMs = REQUEST_TIMEOUT_MS): Promise<unknown> {
  let text: string;
  let status: number;
  try {
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    text = await res.text();
  } catch (e) {
    throw new ConnectorError(platform, 'network', `request to ${url} failed: ${(e as Error).message}`, 'unavailable');
  }
  if (status >= 500) throw new ConnectorError(platform, `http_${status}`, `gateway answered HTTP ${status}`, 'unavailable');
  if (status === 429) throw new ConnectorError(platform, 'http_429', 'gateway answered HTTP 429', 'rate_limited');
  if (status >= 400) throw new ConnectorError(platform, `http_${status}`, `gateway answered HTTP ${status}`, 'invalid_request');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConnectorError(platform, 'bad_json', `gateway answered something that is not JSON: ${text.slice(0, 120)}`, 'bad_response');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `value`, or an empty one: lets readers walk optional nested objects. */
export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
