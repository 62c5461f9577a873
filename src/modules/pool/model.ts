import type { Platform } from '../../db/schema.ts';

/**
 * A product as a connector or feed parser hands it over: every unit already converted, once, at
 * that boundary — money in minor units (fen), rates in basis points, times ISO-8601 UTC.
 */
export interface ProductInput {
  /** The source's own id of the product (PDD goods_sign, JD skuId, Taobao item_id, feed id…). */
  sourceProductId: string;
  title: string;
  brand: string | null;
  /** Top-down, e.g. ['数码', '手机']; empty when the source gives none. */
  categoryPath: string[];
  images: string[];
  /** List price per unit, before coupons, in minor units. */
  priceMinor: number;
  currency: string;
  coupon: CouponInput | null;
  /** Null: the feed carries none, and the source's default rate applies. */
  commissionRateBps: number | null;
  sales30d: number | null;
  shopName: string | null;
  /** Shop rating on a 0–5 scale in hundredths (4.85 -> 485), null when unknown. */
  shopScore: number | null;
  productUrl: string | null;
  /** False when the source says the product is not sellable now. */
  online: boolean;
}

export interface CouponInput {
  /** Discount in minor units. */
  amountMinor: number;
  /** Minimum order amount for the coupon to apply, in minor units (0: no threshold). */
  thresholdMinor: number;
  startsAt: string | null;
  endsAt: string | null;
}

/** A row a parser could not turn into a product: 1-based row (or item) number and why. */
export interface RejectedRow {
  row: number;
  reason: string;
}

/** What every parser yields, one per input row, in order. */
export type ParsedRow = { row: number; product: ProductInput } | { row: number; rejected: string };

export type PoolSort = 'relevance' | 'commission' | 'rate' | 'sales' | 'price_asc' | 'price_desc' | 'newest';
export const POOL_SORTS: readonly PoolSort[] = ['relevance', 'commission', 'rate', 'sales', 'price_asc', 'price_desc', 'newest'];

export type { Platform };
