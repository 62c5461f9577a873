import { describe, expect, it } from 'vitest';
import { bpsToPercentText, fenToYuanText, formatBpsShort, formatCount, formatMoney, formatShopScore, parseYuanToFen } from './money';

describe('parseYuanToFen', () => {
  it('reads yuan text as exact fen', () => {
    expect(parseYuanToFen('10')).toBe(1000);
    expect(parseYuanToFen('19.9')).toBe(1990);
    expect(parseYuanToFen('0.05')).toBe(5);
    expect(parseYuanToFen(' ¥59.99 ')).toBe(5999);
    expect(parseYuanToFen('3.')).toBe(300);
    expect(parseYuanToFen('0.29')).toBe(29);
    expect(parseYuanToFen('1.15')).toBe(115);
  });

  it('refuses negatives, three decimals and anything not an amount', () => {
    for (const bad of ['', 'abc', '-5', '1.234', '1e3', '1,000', '.5', '12345678901']) expect(parseYuanToFen(bad)).toBeNull();
  });

  it('round-trips every amount through its text', () => {
    for (let fen = 0; fen <= 20_000; fen += 7) {
      expect(parseYuanToFen(fenToYuanText(fen))).toBe(fen);
      expect(parseYuanToFen(fenToYuanText(fen, true))).toBe(fen);
    }
  });
});

describe('money and rate text', () => {
  it('writes fen as yuan', () => {
    expect(formatMoney(998)).toBe('¥9.98');
    expect(formatMoney(1000, 'CNY', true)).toBe('¥10');
    expect(formatMoney(5990, 'CNY', true)).toBe('¥59.90');
    expect(formatMoney(-150)).toBe('-¥1.50');
    expect(formatMoney(100, 'XYZ')).toBe('XYZ 1.00');
    expect(formatMoney(7_159_328)).toBe('¥71,593.28');
    expect(formatMoney(99_999)).toBe('¥999.99');
    expect(formatMoney(100_000)).toBe('¥1,000.00');
    expect(formatMoney(-123_456_789_00, 'CNY', true)).toBe('-¥123,456,789');
    expect(formatMoney(100_000_000, 'USD', true)).toBe('$1,000,000');
  });

  it('writes bps without trailing zeros', () => {
    expect(formatBpsShort(600)).toBe('6%');
    expect(formatBpsShort(1250)).toBe('12.5%');
    expect(formatBpsShort(1234)).toBe('12.34%');
    expect(formatBpsShort(5)).toBe('0.05%');
    expect(bpsToPercentText(1250)).toBe('12.5');
  });

  it('writes counts and shop scores compactly', () => {
    expect(formatCount(9876, 'zh-CN')).toBe('9876');
    expect(formatCount(12_345, 'zh-CN')).toBe('1.2万');
    expect(formatCount(19_999, 'zh-CN')).toBe('1.9万');
    expect(formatCount(20_000, 'zh-CN')).toBe('2万');
    expect(formatCount(1_234_567, 'zh-CN')).toBe('123万');
    expect(formatCount(340_000_000, 'zh-CN')).toBe('3.4亿');
    expect(formatCount(9876, 'en')).toBe('9.8k');
    expect(formatCount(987, 'en')).toBe('987');
    expect(formatShopScore(485)).toBe('4.85');
    expect(formatShopScore(490)).toBe('4.9');
    expect(formatShopScore(500)).toBe('5.0');
  });
});
