import type { PoolSort } from './types.ts';

/**
 * A keyset cursor: the position of the last product of a page in the query's total order —
 * (primary key, secondary key, productId) — plus the match mode the first page settled on, so
 * that the next page continues the same list even if the match set changed in between.
 * Keys are "higher comes first" numbers (ascending sorts store the negated value). Between pages,
 * a product that keeps its key is neither skipped nor repeated, whatever else is added or removed;
 * one whose key changed may be (it moved in the order). Relevance scores depend on the product
 * and the query only (see relevance.ts), so they do not move when others change.
 */
export interface CursorPosition {
  sort: PoolSort;
  mode: MatchMode;
  primary: number;
  secondary: number;
  productId: string;
}

/** `all`: every query term must match; `any`: the fallback when no product has them all. */
export type MatchMode = 'all' | 'any';

export function encodeCursor(position: CursorPosition): string {
  const { sort, mode, primary, secondary, productId } = position;
  return Buffer.from(JSON.stringify([1, sort, mode, primary, secondary, productId])).toString('base64url');
}

/** @throws RangeError('invalid cursor') for anything this module did not produce for `sort`. */
export function decodeCursor(cursor: string, sort: PoolSort): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('invalid cursor');
  }
  if (!Array.isArray(parsed) || parsed.length !== 6) throw new RangeError('invalid cursor');
  const [version, cursorSort, mode, primary, secondary, productId] = parsed as unknown[];
  const valid =
    version === 1 &&
    cursorSort === sort &&
    (mode === 'all' || mode === 'any') &&
    Number.isFinite(primary) &&
    Number.isFinite(secondary) &&
    typeof productId === 'string' &&
    productId.length > 0;
  if (!valid) throw new RangeError('invalid cursor');
  return { sort, mode: mode as MatchMode, primary: primary as number, secondary: secondary as number, productId: productId as string };
}
