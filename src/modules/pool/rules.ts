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
