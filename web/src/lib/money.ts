/**
 * Money travels as integer minor units (fen). Text is turned into fen and back by string
 * handling only, so "19.9" is exactly 1990 and no float ever stands for an amount.
 */

const SYMBOLS: Record<string, string> = { CNY: '¥', RMB: '¥', USD: '$', HKD: 'HK$', EUR: '€', GBP: '£', JPY: '¥' };

/** 1234 -> "12.34"; with `trim`, whole amounts lose their ".00" (1000 -> "10"). */
export function fenToYuanText(minor: number, trim = false): string {
  const sign = minor < 0 ? '-' : '';
  const magnitude = Math.abs(Math.trunc(minor));
  const whole = Math.floor(magnitude / 100);
  const cents = magnitude % 100;
  if (trim && cents === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(cents).padStart(2, '0')}`;
}

/**
 * "¥12.34", "¥71,593.28": for reading, so the whole part is grouped by thousands (as banks and
 * payment apps write amounts, in Chinese and in English); text for an input stays
 * `fenToYuanText`. An unknown currency is written as its code.
 */
export function formatMoney(minor: number, currency = 'CNY', trim = false): string {
  const symbol = SYMBOLS[currency.toUpperCase()] ?? `${currency.toUpperCase()} `;
  const text = fenToYuanText(Math.abs(minor), trim).replace(/^\d+/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ','));
  return `${minor < 0 ? '-' : ''}${symbol}${text}`;
}

/** "10" -> 1000, "19.9" -> 1990, "¥0.05" -> 5; null unless a non-negative amount with at most two decimals. */
export function parseYuanToFen(input: string): number | null {
  const match = /^\s*[¥￥]?\s*(\d{1,10})(?:\.(\d{0,2}))?\s*$/.exec(input);
  if (!match) return null;
  const whole = Number.parseInt(match[1] ?? '0', 10);
  const cents = Number.parseInt((match[2] ?? '').padEnd(2, '0'), 10);
  return whole * 100 + cents;
}

/** Basis points as a short percentage: 600 -> "6%", 1250 -> "12.5%", 1234 -> "12.34%". */
export function formatBpsShort(bps: number): string {
  const magnitude = Math.abs(Math.trunc(bps));
  const whole = Math.floor(magnitude / 100);
  const fraction = String(magnitude % 100).padStart(2, '0').replace(/0+$/, '');
  return `${bps < 0 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}%`;
}

/** Bps as the text a user would type for it: 1250 -> "12.5". */
export function bpsToPercentText(bps: number): string {
  return formatBpsShort(bps).replace(/%$/, '');
}

/** A count the way a shop front writes it: 9876, 1.2万, 3.4亿 in Chinese; 9,876, 12.3k, 4.5M in English. Truncated, never rounded up. */
export function formatCount(count: number, language: 'zh-CN' | 'en'): string {
  const n = Math.max(0, Math.trunc(count));
  const steps: [number, string][] = language === 'en' ? [[1_000_000, 'M'], [1_000, 'k']] : [[100_000_000, '亿'], [10_000, '万']];
  for (const [unit, suffix] of steps) {
    if (n >= unit) {
      const tenths = Math.floor((n * 10) / unit);
      const whole = Math.floor(tenths / 10);
      const decimal = tenths % 10;
      return `${whole}${decimal && whole < 100 ? `.${decimal}` : ''}${suffix}`;
    }
  }
  return language === 'en' ? n.toLocaleString('en-US') : String(n);
}

/** A shop score in hundredths of 5 as text: 485 -> "4.85", 490 -> "4.9". */
export function formatShopScore(hundredths: number): string {
  const whole = Math.floor(hundredths / 100);
  const fraction = String(hundredths % 100).padStart(2, '0').replace(/0$/, '');
  return `${whole}.${fraction || '0'}`;
}
