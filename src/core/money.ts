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
 * Computed in BigInt so that no intermediate product can lose precision.
 */
export function applyRate(amountMinor: number, rateBps: number): number {
  assertMinorUnits(amountMinor);
  assertMinorUnits(rateBps, 'rate');
  const product = BigInt(amountMinor) * BigInt(rateBps);
  const divisor = BigInt(BPS_PER_UNIT);
  const sign = product < 0n ? -1n : 1n;
  const abs = product * sign;
  const rounded = (abs * 2n + divisor) / (divisor * 2n);
  return Number(rounded * sign);
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
  const sign = amountMinor < 0 ? -1n : 1n;
  const amount = BigInt(amountMinor) * sign;
  const bigTotal = BigInt(total);
  const floors = weights.map((w) => (amount * BigInt(w)) / bigTotal);
  const remainders = weights.map((w, i) => ({ i, r: (amount * BigInt(w)) % bigTotal }));
  let leftover = amount - floors.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (leftover === 0n) break;
    floors[i] = floors[i]! + 1n;
    leftover -= 1n;
  }
  return floors.map((f) => Number(f * sign));
}

/** "15.00%" for 1500 bps, by string arithmetic. */
export function formatBps(rateBps: number): string {
  const sign = rateBps < 0 ? '-' : '';
  const abs = Math.abs(rateBps);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}
