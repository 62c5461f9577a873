import { startOfPlatformDay, isCalendarDate } from '../../../core/time.ts';
import { parseDecimalToMinor } from './decimal.ts';
import { FieldError } from './rejection.ts';

/**
 * Converters for single feed fields, shared by every format. Each takes the field's text and the
 * field's name, returns the value in our units, and throws a FieldError naming the field.
 */

const MAX_BPS = 10_000;
const MAX_SHOP_SCORE_HUNDREDTHS = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Our minor unit is a hundredth everywhere, so currencies whose minor unit is not (ISO 4217
 * exponent 0 or 3) would be off by a factor of 100 or 10: refused rather than mis-scaled.
 */
const NOT_TWO_DECIMAL_CURRENCIES = new Set([
  'BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF',
  'BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND',
]);

export function parseCurrency(text: string, field: string): string {
  const code = text.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new FieldError(`${field} is not a currency code: "${text}"`);
  if (NOT_TWO_DECIMAL_CURRENCIES.has(code)) {
    throw new FieldError(`${field} ${code} does not count in hundredths; feeds support 2-decimal currencies only`);
  }
  return code;
}

export interface ParsedMoney {
  amountMinor: number;
  /** The currency written beside the amount, null when the text is a bare number. */
  currency: string | null;
}

const CODE_AFTER = /^(.*\d)\s*([A-Za-z]{3})$/;
const CODE_BEFORE = /^([A-Za-z]{3})\s*(\d.*)$/;
const YUAN = /^[¥￥]\s*(.*)$|^(.*?)\s*元$/;

/** "59.90", "59.90 CNY" (the Google Merchant Center form), "CNY 59.90", "¥59.90" or "59.90元". */
export function parseMoney(text: string, field: string): ParsedMoney {
  const trimmed = text.trim();
  const yuan = YUAN.exec(trimmed);
  if (yuan) return { amountMinor: parseDecimalToMinor(yuan[1] ?? yuan[2]!, field), currency: 'CNY' };
  const after = CODE_AFTER.exec(trimmed);
  if (after) return { amountMinor: parseDecimalToMinor(after[1]!, field), currency: parseCurrency(after[2]!, field) };
  const before = CODE_BEFORE.exec(trimmed);
  if (before) return { amountMinor: parseDecimalToMinor(before[2]!, field), currency: parseCurrency(before[1]!, field) };
  return { amountMinor: parseDecimalToMinor(trimmed, field), currency: null };
}

/** A money field that must be in `currency` when it names one. */
export function parseMoneyIn(text: string, field: string, currency: string): number {
  const money = parseMoney(text, field);
  if (money.currency !== null && money.currency !== currency) {
    throw new FieldError(`${field} is in ${money.currency} but the product is priced in ${currency}`);
  }
  return money.amountMinor;
}

/** "12.5%" -> 1250. The percent sign is required: a bare "12.5" could as well be a fraction or per mille. */
export function parsePercentToBps(text: string, field: string): number {
  const m = /^(.*?)\s*%$/.exec(text.trim());
  if (!m) throw new FieldError(`${field} must be a percentage such as "12.5%" (use ${field}_bps for basis points), got "${text}"`);
  return inBpsRange(parseDecimalToMinor(m[1]!, field), field);
}

export function parseBps(text: string, field: string): number {
  if (!/^\d+$/.test(text.trim())) throw new FieldError(`${field} must be a whole number of basis points, got "${text}"`);
  return inBpsRange(Number(text.trim()), field);
}

function inBpsRange(bps: number, field: string): number {
  if (bps > MAX_BPS) throw new FieldError(`${field} must be between 0 and ${MAX_BPS} basis points (100%), got ${bps}`);
  return bps;
}

export function parseCount(text: string, field: string): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw new FieldError(`${field} must be a whole number, got "${text}"`);
  }
  return Number(trimmed);
}

/** "4.85" on a 0–5 scale -> 485. */
export function parseShopScore(text: string, field: string): number {
  const hundredths = parseDecimalToMinor(text, field);
  if (hundredths > MAX_SHOP_SCORE_HUNDREDTHS) throw new FieldError(`${field} must be between 0 and 5, got "${text}"`);
  return hundredths;
}

/** An absolute http(s) URL; a protocol-relative "//cdn…" gets https. Anything else could be `javascript:`. */
export function parseHttpUrl(text: string, field: string): string {
  const trimmed = text.trim();
  const absolute = trimmed.startsWith('//') ? `https:${trimmed}` : trimmed;
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    throw new FieldError(`${field} is not a URL: "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FieldError(`${field} must be an http(s) URL, got "${text}"`);
  return absolute;
}

/** "数码 > 手机" -> ['数码', '手机']. */
export function splitPath(text: string): string[] {
  return splitList(text, '>');
}

export function splitList(text: string, separator: string): string[] {
  return text
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO-8601 date or date-time to an ISO UTC instant. A time without an offset, and a bare date,
 * are Asia/Shanghai. A bare date used as the end of a window (`dateMeans: 'end'`) includes that
 * whole day: a coupon ending 2026-11-11 is still good on the 11th, until 2026-11-12 00:00 in Shanghai.
 */
export function parseInstant(text: string, field: string, dateMeans: 'start' | 'end'): string {
  const trimmed = text.trim();
  if (isCalendarDate(trimmed)) {
    const start = Date.parse(startOfPlatformDay(trimmed));
    return new Date(dateMeans === 'start' ? start : start + DAY_MS).toISOString();
  }
  const m = DATE_TIME.exec(trimmed);
  const [hours, minutes, seconds] = [Number(m?.[2]), Number(m?.[3]), Number(m?.[4] ?? 0)];
  if (!m || !isCalendarDate(m[1]!) || hours > 23 || minutes > 59 || seconds > 59) {
    throw new FieldError(`${field} is not an ISO date or date-time (2026-11-11 or 2026-11-11T20:00:00+08:00): "${text}"`);
  }
  const offset = (m[6] ?? '+08:00').toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const iso = `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${(m[5] ?? '').slice(0, 4)}${offset}`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new FieldError(`${field} is not a valid date-time: "${text}"`);
  return new Date(ms).toISOString();
}
