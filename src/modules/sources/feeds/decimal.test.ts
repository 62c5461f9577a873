import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimalToMinor } from './decimal.ts';

/** f minor units as the 2-decimal text a feed would carry: 5990 -> "59.90", 7 -> "0.07". */
function twoDecimalText(f: number): string {
  const digits = String(f).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

describe('parseDecimalToMinor', () => {
  it('reads the 2-decimal text of any non-negative integer back to that integer', () => {
    fc.assert(fc.property(fc.maxSafeNat(), (f) => parseDecimalToMinor(twoDecimalText(f), 'price') === f));
  });

  it('reads one decimal and no decimals as tens and hundreds of minor units', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1e13 }), (yuan) => {
        return parseDecimalToMinor(`${yuan}`, 'price') === yuan * 100 && parseDecimalToMinor(`${yuan}.5`, 'price') === yuan * 100 + 50;
      }),
    );
  });

  it('converts by digits, not by floating-point multiplication', () => {
    expect(parseDecimalToMinor('59.90', 'price')).toBe(5990);
    expect(parseDecimalToMinor('59.9', 'price')).toBe(5990);
    expect(parseDecimalToMinor('1.13', 'price')).toBe(113); // 1.13 * 100 === 112.99999999999999
    expect(parseDecimalToMinor('0.07', 'price')).toBe(7);
    expect(parseDecimalToMinor('7', 'price')).toBe(700);
    expect(parseDecimalToMinor(' 007.50 ', 'price')).toBe(750);
  });

  it('accepts zeros past the second decimal, which change nothing', () => {
    expect(parseDecimalToMinor('59.900', 'price')).toBe(5990);
  });

  it.each([
    ['59.999', 'price has more than 2 decimals'],
    ['0.001', 'price has more than 2 decimals'],
    ['-10.00', 'price must not be negative'],
    ['', 'price is empty'],
    ['1,299.00', 'price is not a decimal number'],
    ['1e3', 'price is not a decimal number'],
    ['.5', 'price is not a decimal number'],
    ['5.', 'price is not a decimal number'],
    ['+5', 'price is not a decimal number'],
    ['五十', 'price is not a decimal number'],
    ['99999999999999999', 'price is too large'],
  ])('refuses "%s" with a RangeError naming the field', (text, message) => {
    expect(() => parseDecimalToMinor(text, 'price')).toThrow(RangeError);
    expect(() => parseDecimalToMinor(text, 'price')).toThrow(message);
  });
});
