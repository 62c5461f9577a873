import { applyRate } from '../../core/money.ts';
import type { CouponInput } from './model.ts';

/**
 * The price a shopper pays for one unit: the list price less the coupon, when the coupon is
 * valid at `at` and the price reaches its threshold; never below zero.
 */
export function finalPriceMinor(priceMinor: number, coupon: CouponInput | null, at: string): number {
  if (!couponApplies(priceMinor, coupon, at)) return priceMinor;
  return Math.max(0, priceMinor - coupon!.amountMinor);
}

export function couponApplies(priceMinor: number, coupon: CouponInput | null, at: string): boolean {
  if (!coupon || coupon.amountMinor <= 0) return false;
  if (coupon.startsAt !== null && at < coupon.startsAt) return false;
  if (coupon.endsAt !== null && at >= coupon.endsAt) return false;
  return priceMinor >= coupon.thresholdMinor;
}

/** What a creator earns per unit sold at the final price (rate x final price, rounded half up). */
export function commissionPerUnitMinor(finalPrice: number, rateBps: number): number {
  return applyRate(finalPrice, rateBps);
}

/** Words that decorate a listing without changing what the product is. */
const MARKETING_WORDS = ['官方旗舰店', '旗舰店', '官方', '正品', '包邮', '现货', '新款', '爆款', '热卖', '限时', '秒杀', '特价', '直营', '自营', '顺丰'];

/**
 * The title reduced to what identifies the product: lower case, no bracketed promotions
 * (【…】, […], (…)), no marketing words, no spaces or punctuation.
 */
export function normaliseTitle(title: string): string {
  let t = title.normalize('NFKC').toLowerCase();
  t = t.replace(/【[^】]*】|\[[^\]]*\]|（[^）]*）|\([^)]*\)/g, ' ');
  for (const word of MARKETING_WORDS) t = t.split(word).join(' ');
  return t.replace(/[\s\p{P}\p{S}]+/gu, '');
}

/**
 * Offers of the same product from several sources share a group key: same brand and same
 * normalised title. Prices are compared when the offers are shown (see alsoOnOffers).
 */
export function groupKeyOf(brand: string | null, title: string): string {
  const b = (brand ?? '').normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
  return `${b}|${normaliseTitle(title)}`;
}

/** Offers whose final price is within this share of the best offer's count as the same product. */
export const SAME_PRODUCT_PRICE_TOLERANCE_BPS = 2000;

export function pricesClose(aMinor: number, bMinor: number): boolean {
  const high = Math.max(aMinor, bMinor);
  const low = Math.min(aMinor, bMinor);
  return (high - low) * 10_000 <= high * SAME_PRODUCT_PRICE_TOLERANCE_BPS;
}

export interface Offer {
  productId: string;
  finalPriceMinor: number;
  commissionAmountMinor: number;
}

/**
 * The offer a creator should see first among offers of one product: the highest commission per
 * unit, then the lowest final price, then the oldest id (so the choice is stable).
 */
export function bestOffer<T extends Offer>(offers: readonly T[]): T {
  if (offers.length === 0) throw new RangeError('no offers');
  return offers.reduce((best, o) => {
    if (o.commissionAmountMinor !== best.commissionAmountMinor) return o.commissionAmountMinor > best.commissionAmountMinor ? o : best;
    if (o.finalPriceMinor !== best.finalPriceMinor) return o.finalPriceMinor < best.finalPriceMinor ? o : best;
    return o.productId < best.productId ? o : best;
  });
}
