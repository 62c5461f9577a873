/**
 * Commission of an order line and its split between the parties. Pure, integer minor units.
 *
 * The split is a cascade, each cut by largest remainder (core/money `split`) so that every cut
 * — and hence the whole — adds up exactly:
 *   1. the platform service fee comes off the top: platformFeeBps of the commission;
 *   2. the colonel takes colonelShareBps of what is left after the fee (the net commission);
 *   3. the organisation takes organisationShareBps of what is left after that — the creator's
 *      earnings, which is what an organisation shares in;
 *   4. the creator gets the remainder.
 * Every part is non-negative for a non-negative commission and a non-decreasing function of it;
 * a negative commission (a claw-back) splits symmetrically: split(-c) = -split(c), part by part.
 */
import { applyRate, assertMinorUnits, BPS_PER_UNIT, split } from '../../core/money.ts';
import { assertBps } from './rates.ts';

export interface SplitInput {
  commissionMinor: number;
  platformFeeBps: number;
  colonelShareBps?: number;
  organisationShareBps?: number;
}

export interface SplitParts {
  platform: number;
  colonel: number;
  organisation: number;
  creator: number;
}

/**
 * [the bps share of amount, the rest], by largest remainder: `split(amount, [bps, 10,000 - bps])`
 * without its arrays (a split runs several times per order line). The two remainders sum to 0
 * or 10,000, so at most one unit is left over; it goes to the share when the share's remainder is
 * at least half (equal remainders: the earlier part). Amounts too large for the product to be
 * exact take the general split.
 */
export function cut(amountMinor: number, bps: number): [number, number] {
  const amount = Math.abs(amountMinor);
  if (!Number.isSafeInteger(amount * BPS_PER_UNIT)) {
    const [share, rest] = split(amountMinor, [bps, BPS_PER_UNIT - bps]);
    return [share!, rest!];
  }
  const product = amount * bps;
  const remainder = product % BPS_PER_UNIT;
  const share = (product - remainder) / BPS_PER_UNIT + (remainder * 2 >= BPS_PER_UNIT ? 1 : 0);
  if (amountMinor >= 0) return [share, amount - share]; // amount, not amountMinor: -0 splits into zeros
  // split(-c) = -split(c) part by part, with no negative zero.
  return [share === 0 ? 0 : -share, share === amount ? 0 : amountMinor + share];
}

export function splitCommission(input: SplitInput): SplitParts {
  const { commissionMinor, platformFeeBps, colonelShareBps = 0, organisationShareBps = 0 } = input;
  assertMinorUnits(commissionMinor, 'commission');
  assertBps(platformFeeBps, 'platform fee');
  assertBps(colonelShareBps, 'colonel share');
  assertBps(organisationShareBps, 'organisation share');
  const [platform, net] = cut(commissionMinor, platformFeeBps);
  const [colonel, afterColonel] = cut(net, colonelShareBps);
  const [organisation, creator] = cut(afterColonel, organisationShareBps);
  return { platform, colonel, organisation, creator };
}

/** Commission of a line: paid amount (after coupons, before shipping) x rate, rounded half up. */
export function commissionOf(paidAmountMinor: number, rateBps: number): number {
  assertBps(rateBps);
  return applyRate(paidAmountMinor, rateBps);
}
