import { describe, expect, it } from 'vitest';
import { parseBps, parseHttpUrl, parseInstant, parseMoney, parseMoneyIn, parsePercentToBps, parseShopScore } from './fields.ts';
import { FieldError } from './rejection.ts';

describe('parseMoney', () => {
  it.each([
    ['59.90', 5990, null],
    ['59.90 CNY', 5990, 'CNY'],
    ['CNY 59.90', 5990, 'CNY'],
    ['15.00 USD', 1500, 'USD'],
    ['59.9cny', 5990, 'CNY'],
    ['¥59.90', 5990, 'CNY'],
    ['￥ 59.9', 5990, 'CNY'],
    ['59.90元', 5990, 'CNY'],
  ])('reads "%s" as %i minor units in %s', (text, amountMinor, currency) => {
    expect(parseMoney(text, 'price')).toEqual({ amountMinor, currency });
  });

  it('refuses currencies whose minor unit is not a hundredth instead of mis-scaling them', () => {
    expect(() => parseMoney('1500 JPY', 'price')).toThrow('price JPY does not count in hundredths');
  });

  it('refuses garbage around the amount', () => {
    expect(() => parseMoney('59.90 CNYY', 'price')).toThrow(FieldError);
    expect(() => parseMoney('about 60', 'price')).toThrow('price is not a decimal number');
  });

  it('refuses an amount in another currency than the product', () => {
    expect(() => parseMoneyIn('5.00 USD', 'coupon_amount', 'CNY')).toThrow('coupon_amount is in USD but the product is priced in CNY');
  });
});

describe('rates', () => {
  it('reads percentages to basis points', () => {
    expect(parsePercentToBps('12.5%', 'commission_rate')).toBe(1250);
    expect(parsePercentToBps('8 %', 'commission_rate')).toBe(800);
    expect(parsePercentToBps('0.05%', 'commission_rate')).toBe(5);
    expect(parsePercentToBps('100%', 'commission_rate')).toBe(10_000);
  });

  it('refuses a bare number, which could be a fraction or per mille', () => {
    expect(() => parsePercentToBps('0.125', 'commission_rate')).toThrow('commission_rate must be a percentage');
  });

  it('refuses rates outside 0..10000 bps', () => {
    expect(() => parsePercentToBps('100.01%', 'commission_rate')).toThrow('between 0 and 10000');
    expect(() => parsePercentToBps('-1%', 'commission_rate')).toThrow('must not be negative');
    expect(() => parseBps('10001', 'commission_rate_bps')).toThrow('between 0 and 10000');
    expect(() => parseBps('12.5', 'commission_rate_bps')).toThrow('whole number of basis points');
    expect(parseBps('1250', 'commission_rate_bps')).toBe(1250);
  });
});

describe('parseShopScore', () => {
  it('reads a 0-5 score to hundredths', () => {
    expect(parseShopScore('4.85', 'shop_score')).toBe(485);
    expect(parseShopScore('5', 'shop_score')).toBe(500);
    expect(() => parseShopScore('5.01', 'shop_score')).toThrow('between 0 and 5');
  });
});

describe('parseInstant', () => {
  it('takes a bare date as the start of that day in Shanghai', () => {
    expect(parseInstant('2026-11-11', 'coupon_start', 'start')).toBe('2026-11-10T16:00:00.000Z');
  });

  it('takes a bare end date as including that whole day', () => {
    expect(parseInstant('2026-11-11', 'coupon_end', 'end')).toBe('2026-11-11T16:00:00.000Z');
  });

  it('takes a time without an offset as Shanghai time, and honours an explicit offset', () => {
    expect(parseInstant('2026-11-11 20:00', 'coupon_start', 'start')).toBe('2026-11-11T12:00:00.000Z');
    expect(parseInstant('2026-11-11T20:00:00Z', 'coupon_start', 'start')).toBe('2026-11-11T20:00:00.000Z');
    expect(parseInstant('2026-11-11T20:00:00-0500', 'coupon_start', 'start')).toBe('2026-11-12T01:00:00.000Z');
  });

  it.each(['2026-02-30', '2026/11/11', '1731312000', '2026-11-11T24:00', 'tomorrow'])('refuses "%s"', (text) => {
    expect(() => parseInstant(text, 'coupon_end', 'end')).toThrow('coupon_end is not an ISO date');
  });
});

describe('parseHttpUrl', () => {
  it('keeps http(s) URLs and gives protocol-relative ones https', () => {
    expect(parseHttpUrl('https://img.example.cn/a.jpg', 'image')).toBe('https://img.example.cn/a.jpg');
    expect(parseHttpUrl('//img.example.cn/a.jpg', 'image')).toBe('https://img.example.cn/a.jpg');
  });

  it('refuses anything a shopper should not be sent to', () => {
    expect(() => parseHttpUrl('javascript:alert(1)', 'url')).toThrow('url must be an http(s) URL');
    expect(() => parseHttpUrl('/item/1001', 'url')).toThrow('url is not a URL');
  });
});
