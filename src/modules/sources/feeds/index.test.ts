import { describe, expect, it } from 'vitest';
import { FEED_FORMATS, isFeedFormat, parseFeed, type FeedFormat } from './index.ts';
import { collect, fixture, inChunks } from './testing.ts';

const FIXTURES: Record<FeedFormat, string> = {
  csv: 'merchant.csv',
  jsonl: 'merchant.jsonl',
  'google-merchant-xml': 'merchant-center.xml',
  'shopify-products-json': 'shopify-products.json',
};

describe('parseFeed', () => {
  it('knows the four formats', () => {
    expect(FEED_FORMATS).toEqual(['csv', 'jsonl', 'google-merchant-xml', 'shopify-products-json']);
    expect(isFeedFormat('jsonl')).toBe(true);
    expect(isFeedFormat('xlsx')).toBe(false);
  });

  it.each(FEED_FORMATS)('parses a %s feed into rows numbered in order', async (format) => {
    const rows = await collect(parseFeed(format, inChunks(fixture(FIXTURES[format])), { now: '2026-11-05T00:00:00Z' }));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.row)).toEqual([...rows.map((r) => r.row)].sort((a, b) => a - b));
    expect(rows.some((r) => 'product' in r) && rows.some((r) => 'rejected' in r)).toBe(true);
  });
});
