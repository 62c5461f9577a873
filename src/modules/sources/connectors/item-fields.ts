import type { ParsedRow, ProductInput } from '../../pool/model.ts';
import { isRecord, parseChineseCount, parseDecimalScaled, rateToBps, shanghaiDateTimeToIso, yuanToFen, type RateUnit } from './common.ts';

/**
 * Readers for one item of a platform response. Each takes the raw value and the field's name as
 * the platform spells it; a value that cannot become a product rejects the whole item with a
 * reason naming that field, and the other items of the response still parse.
 */

class ItemRejected extends Error {}

export function rejectItem(field: string, why: string): never {
  throw new ItemRejected(`${field}: ${why}`);
}

export type ReadItem<T> = { row: number; value: T } | { row: number; rejected: string };

/** `read` applied to each item, rows numbered from `firstRow`; a rejected item does not stop the others. */
export function readItems<T>(items: readonly unknown[], read: (item: Record<string, unknown>) => T, firstRow = 1): ReadItem<T>[] {
  return items.map((item, i) => {
    const row = firstRow + i;
    if (!isRecord(item)) return { row, rejected: 'item: not an object' };
    try {
      return { row, value: read(item) };
    } catch (e) {
      if (e instanceof ItemRejected) return { row, rejected: e.message };
      throw e;
    }
  });
}

/** One ParsedRow per item, rows numbered from `firstRow` (1 for a whole document). */
export function parseItems(
  items: readonly unknown[],
  toProduct: (item: Record<string, unknown>) => ProductInput,
  firstRow = 1,
): ParsedRow[] {
  return readItems(items, toProduct, firstRow).map((r) => ('value' in r ? { row: r.row, product: r.value } : r));
}

function absent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Ids and titles: a non-empty string, or an integer id that a JS number holds exactly. */
export function requiredText(value: unknown, field: string): string {
  const text = optionalText(value, field);
  if (text === null) rejectItem(field, 'missing');
  return text;
}

export function optionalText(value: unknown, field: string): string | null {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) rejectItem(field, `${value} is not an exact integer id`);
    return String(value);
  }
  if (absent(value)) return null;
  if (typeof value !== 'string') rejectItem(field, 'not text');
  return value.trim() === '' ? null : value.trim();
}

/** An amount already in fen (PDD). */
export function fenAmount(value: unknown, field: string): number {
  if (absent(value)) rejectItem(field, 'missing');
  return nonNegative(decimal(value, 0, field), field);
}

/** An amount in yuan, "59.90" or 1.13 (JD, Taobao), converted to fen exactly. */
export function yuanAmount(value: unknown, field: string): number {
  if (absent(value)) rejectItem(field, 'missing');
  let fen: number;
  try {
    fen = yuanToFen(value);
  } catch (e) {
    rejectItem(field, `${(e as Error).message} (yuan)`);
  }
  return nonNegative(fen, field);
}

/** A commission rate in the platform's unit, as bps within 0..10000 (0%..100%); null when absent. */
export function rateBps(value: unknown, field: string, unit: RateUnit): number | null {
  if (absent(value)) return null;
  let bps: number;
  try {
    bps = rateToBps(value, unit);
  } catch (e) {
    rejectItem(field, `${(e as Error).message} (${unit.replaceAll('_', ' ')})`);
  }
  if (bps < 0 || bps > 10_000) rejectItem(field, `${String(value)} (${unit.replaceAll('_', ' ')}) is ${bps} bps, outside 0..10000`);
  return bps;
}

/** A count such as sales: 4223 or "10万+"; null when absent. */
export function optionalCount(value: unknown, field: string): number | null {
  if (absent(value)) return null;
  try {
    return parseChineseCount(value);
  } catch (e) {
    rejectItem(field, (e as Error).message);
  }
}

function decimal(value: unknown, decimals: number, field: string): number {
  try {
    return parseDecimalScaled(value, decimals);
  } catch (e) {
    rejectItem(field, (e as Error).message);
  }
}

function nonNegative(amount: number, field: string): number {
  if (amount < 0) rejectItem(field, `negative amount ${amount}`);
  return amount;
}

/** Instant from Unix seconds (PDD) or milliseconds (JD); 0 or absent means none. */
export function unixTimeIso(value: unknown, field: string, unit: 'seconds' | 'milliseconds'): string | null {
  if (absent(value) || value === 0 || value === '0') return null;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  const date = typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? new Date(unit === 'seconds' ? n * 1000 : n) : null;
  if (date === null || Number.isNaN(date.getTime())) rejectItem(field, `not a Unix time in ${unit}: ${String(value)}`);
  return date.toISOString();
}

/** Non-empty strings of an array, or of a lone string; duplicates dropped, order kept. */
export function textList(...values: unknown[]): string[] {
  const flat = values.flatMap((v) => (Array.isArray(v) ? v : [v]));
  return [...new Set(flat.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()))];
}

/** Platform URLs arrive as '//img.alicdn.com/…' or 'item.jd.com/…': make them absolute https. */
export function absoluteUrl(url: string): string {
  if (url.startsWith('//')) return `https:${url}`;
  if (/^https?:\/\//i.test(url)) return url;
  return `https://${url}`;
}

/** A count of goods, at least 1: 2 or "2". */
export function positiveCount(value: unknown, field: string): number {
  if (absent(value)) rejectItem(field, 'missing');
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) rejectItem(field, `not a whole number of at least 1: ${String(value)}`);
  return n;
}

/** 'yyyy-MM-dd HH:mm:ss' in Beijing time (JD, Taobao) as ISO UTC. */
export function shanghaiTimeIso(value: unknown, field: string): string {
  if (absent(value)) rejectItem(field, 'missing');
  const iso = typeof value === 'string' ? shanghaiDateTimeToIso(value) : null;
  if (iso === null) rejectItem(field, `not a Beijing time 'yyyy-MM-dd HH:mm:ss': ${String(value)}`);
  return iso;
}
