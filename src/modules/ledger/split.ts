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

/** [the bps share of amount, the rest], by largest remainder. */
function cut(amountMinor: number, bps: number): [number, number] {
  const [share, rest] = split(amountMinor, [bps, BPS_PER_UNIT - bps]);
  return [share!, rest!];
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
