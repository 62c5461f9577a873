import type { CouponInput, ProductInput } from '../../pool/model.ts';
import {
  parseBps,
  parseCount,
  parseCurrency,
  parseHttpUrl,
  parseInstant,
  parseMoney,
  parseMoneyIn,
  parsePercentToBps,
  parseShopScore,
  splitList,
  splitPath,
} from './fields.ts';
import { FieldError } from './rejection.ts';

/**
 * The columns of a CSV feed, which are also the keys of a JSONL feed's objects (docs/feeds.md).
 * One row becomes one product; every other column is ignored.
 */
export const REQUIRED_COLUMNS = ['id', 'title', 'price'] as const;

/** A field's value: text, a list (a JSONL array for `images` or `category`), or absent. */
export type FieldValue = string | readonly string[] | undefined;
export type FieldLookup = (column: string) => FieldValue;

const IMAGE_SEPARATOR = '|';

/** Throws a FieldError naming the column for the first value that cannot be read. */
export function productFromColumns(field: FieldLookup, defaultCurrency: string): ProductInput {
  const sourceProductId = required(field, 'id');
  const title = required(field, 'title');
  const price = parseMoney(required(field, 'price'), 'price');
  const currency = currencyOf(field, price.currency, defaultCurrency);
  if (price.amountMinor === 0) throw new FieldError('price must be greater than 0');
  return {
    sourceProductId,
    title,
    brand: text(field, 'brand') ?? null,
    categoryPath: list(field, 'category', '>').flatMap(splitPath),
    images: imagesOf(field),
    priceMinor: price.amountMinor,
    currency,
    coupon: couponOf(field, currency),
    commissionRateBps: commissionRateOf(field),
    sales30d: optional(field, 'sales_30d', parseCount),
    shopName: text(field, 'shop_name') ?? null,
    shopScore: optional(field, 'shop_score', parseShopScore),
    productUrl: optional(field, 'url', parseHttpUrl),
    online: optional(field, 'status', parseStatus) ?? true,
  };
}

/** The `currency` column, else the code written beside the price, else the feed's default. */
function currencyOf(field: FieldLookup, writtenWithPrice: string | null, defaultCurrency: string): string {
  const column = optional(field, 'currency', parseCurrency);
  if (column !== null && writtenWithPrice !== null && column !== writtenWithPrice) {
    throw new FieldError(`price is in ${writtenWithPrice} but currency is ${column}`);
  }
  return column ?? writtenWithPrice ?? defaultCurrency;
}

/** Without `coupon_amount` (or with 0) there is no coupon, whatever the other coupon columns say. */
function couponOf(field: FieldLookup, currency: string): CouponInput | null {
  const amountText = text(field, 'coupon_amount');
  if (amountText === undefined) return null;
  const amountMinor = parseMoneyIn(amountText, 'coupon_amount', currency);
  if (amountMinor === 0) return null;
  const startsAt = optional(field, 'coupon_start', (t, c) => parseInstant(t, c, 'start'));
  const endsAt = optional(field, 'coupon_end', (t, c) => parseInstant(t, c, 'end'));
  if (startsAt !== null && endsAt !== null && startsAt >= endsAt) {
    throw new FieldError(`coupon_end (${endsAt}) must be after coupon_start (${startsAt})`);
  }
  const thresholdMinor = optional(field, 'coupon_threshold', (t, c) => parseMoneyIn(t, c, currency)) ?? 0;
  return { amountMinor, thresholdMinor, startsAt, endsAt };
}

/** Either column may carry the rate; when both do, they must agree. */
function commissionRateOf(field: FieldLookup): number | null {
  const fromPercent = optional(field, 'commission_rate', parsePercentToBps);
  const fromBps = optional(field, 'commission_rate_bps', parseBps);
  if (fromPercent !== null && fromBps !== null && fromPercent !== fromBps) {
    throw new FieldError(`commission_rate (${fromPercent} bps) and commission_rate_bps (${fromBps}) disagree`);
  }
  return fromBps ?? fromPercent;
}

function imagesOf(field: FieldLookup): string[] {
  const urls = ['image', 'images'].flatMap((column) =>
    list(field, column, IMAGE_SEPARATOR).map((url) => parseHttpUrl(url, column)),
  );
  return [...new Set(urls)];
}

function parseStatus(value: string, column: string): boolean {
  const status = value.toLowerCase();
  if (status === 'online') return true;
  if (status === 'offline') return false;
  throw new FieldError(`${column} must be online or offline, got "${value}"`);
}

/** Trimmed text; an empty cell is an absent one. */
function text(field: FieldLookup, column: string): string | undefined {
  const value = field(column);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new FieldError(`${column} must be text, not a list`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function required(field: FieldLookup, column: string): string {
  const value = text(field, column);
  if (value === undefined) throw new FieldError(`${column} is required`);
  return value;
}

function optional<T>(field: FieldLookup, column: string, parse: (text: string, column: string) => T): T | null {
  const value = text(field, column);
  return value === undefined ? null : parse(value, column);
}

function list(field: FieldLookup, column: string, separator: string): string[] {
  const value = field(column);
  if (value === undefined) return [];
  if (typeof value === 'string') return splitList(value, separator);
  return value.map((item) => item.trim()).filter((item) => item !== '');
}
