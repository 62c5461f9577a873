/**
 * Rates travel as integer basis points (1500 = 15.00%). Converting through strings keeps
 * "12.5" exactly 1250: no float ever stands for a rate.
 */

const MAX_BPS = 10_000;

export function formatBps(bps: number): string {
  const sign = bps < 0 ? '-' : '';
  const magnitude = Math.abs(Math.trunc(bps));
  const whole = Math.floor(magnitude / 100);
  const hundredths = String(magnitude % 100).padStart(2, '0');
  return `${sign}${whole}.${hundredths}%`;
}

/** "15" -> 1500, "12.5" -> 1250, "0.05%" -> 5; null when not a percentage in 0–100 with at most two decimals. */
export function parsePercentToBps(input: string): number | null {
  const match = /^\s*(\d{1,3})(?:\.(\d{0,2}))?\s*%?\s*$/.exec(input);
  if (!match) return null;
  const whole = Number.parseInt(match[1] ?? '0', 10);
  const hundredths = Number.parseInt((match[2] ?? '').padEnd(2, '0'), 10);
  const bps = whole * 100 + hundredths;
  return bps <= MAX_BPS ? bps : null;
}
