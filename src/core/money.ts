/**
 * Money is an integer number of minor units (fen for CNY) with a currency beside it;
 * rates are integer basis points (10000 = 100%). No floats touch an amount.
 */
export const BPS_PER_UNIT = 10_000;

export interface Money {
  amountMinor: number;
  currency: string;
}

export function assertMinorUnits(amountMinor: number, what = 'amount'): void {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`${what} must be an integer number of minor units, got ${amountMinor}`);
  }
}

/**
 * amount x rate, rounded half up (away from zero for negatives) to the minor unit.
 * Exact: in plain integers while every intermediate is a safe integer (any real order), else in
 * BigInt, so that no intermediate product can lose precision.
 */
export function applyRate(amountMinor: number, rateBps: number): number {
  assertMinorUnits(amountMinor);
  assertMinorUnits(rateBps, 'rate');
  const abs = Math.abs(amountMinor * rateBps);
  const negative = amountMinor < 0 !== rateBps < 0;
  const rounded = Number.isSafeInteger(abs * 2 + BPS_PER_UNIT) ? exactQuotient(abs * 2 + BPS_PER_UNIT, BPS_PER_UNIT * 2) : bigRateRounded(amountMinor, rateBps);
  return negative && rounded !== 0 ? -rounded : rounded;
}

function bigRateRounded(amountMinor: number, rateBps: number): number {
  const product = BigInt(amountMinor) * BigInt(rateBps);
  const divisor = BigInt(BPS_PER_UNIT);
  const abs = product < 0n ? -product : product;
  return Number((abs * 2n + divisor) / (divisor * 2n));
}

/** floor(n / d) for non-negative safe integers, exactly: `%` is exact, and so is dividing a multiple. */
function exactQuotient(n: number, d: number): number {
  return (n - (n % d)) / d;
}

/**
 * Splits an amount into parts proportional to non-negative integer weights by the largest
 * remainder method: every part is floor(amount x w / W), and the units left over go one each to
 * the parts with the largest remainders (ties: the earlier part). The parts always sum to the amount.
 */
export function split(amountMinor: number, weights: readonly number[]): number[] {
  assertMinorUnits(amountMinor);
  if (weights.length === 0) throw new RangeError('split needs at least one weight');
  weights.forEach((w) => {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`weight must be a non-negative integer, got ${w}`);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) throw new RangeError('split needs a positive total weight');
  const amount = Math.abs(amountMinor);
  const { floors, remainders } = Number.isSafeInteger(amount * total) ? shares(amount, weights, total) : bigShares(amount, weights, total);
  let leftover = amount - floors.reduce((a, b) => a + b, 0);
  // Fewer units are left over than there are parts: each goes to the largest remainder not served
  // yet (the first of equals). A scan per unit, not a sort: splits run several times per order line.
  while (leftover > 0) {
    let best = 0;
    for (let i = 1; i < remainders.length; i++) if (remainders[i]! > remainders[best]!) best = i;
    floors[best] = floors[best]! + 1;
    remainders[best] = -1;
    leftover -= 1;
  }
  return amountMinor < 0 ? floors.map((f) => (f === 0 ? 0 : -f)) : floors;
}

/** floor(amount x w / total) and its remainder per weight, when amount x total is a safe integer. */
function shares(amount: number, weights: readonly number[], total: number): { floors: number[]; remainders: number[] } {
  return { floors: weights.map((w) => exactQuotient(amount * w, total)), remainders: weights.map((w) => (amount * w) % total) };
}

/** The same in BigInt; each floor is at most the amount and each remainder below the total, so both fit a number. */
function bigShares(amount: number, weights: readonly number[], total: number): { floors: number[]; remainders: number[] } {
  const a = BigInt(amount);
  const t = BigInt(total);
  return { floors: weights.map((w) => Number((a * BigInt(w)) / t)), remainders: weights.map((w) => Number((a * BigInt(w)) % t)) };
}

/** "15.00%" for 1500 bps, by string arithmetic. */
export function formatBps(rateBps: number): string {
  const sign = rateBps < 0 ? '-' : '';
  const abs = Math.abs(rateBps);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

/** Minor units as a decimal text with two places, by integer arithmetic: 1990 -> "19.90" (for CSVs a bank or person reads). */
export function formatMinor(amountMinor: number): string {
  assertMinorUnits(amountMinor);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
