import type { ParsedRow } from '../../pool/model.ts';
import { parseCsv } from './csv.ts';
import { parseGoogleMerchantXml } from './google-merchant-xml.ts';
import { parseJsonl } from './jsonl.ts';
import type { FeedOptions } from './options.ts';
import { parseShopifyProductsJson } from './shopify-products-json.ts';

export const FEED_FORMATS = ['csv', 'jsonl', 'google-merchant-xml', 'shopify-products-json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export type FeedParser = (input: AsyncIterable<Buffer | string>, options?: FeedOptions) => AsyncGenerator<ParsedRow>;

const PARSERS: Record<FeedFormat, FeedParser> = {
  csv: parseCsv,
  jsonl: parseJsonl,
  'google-merchant-xml': parseGoogleMerchantXml,
  'shopify-products-json': parseShopifyProductsJson,
};

export function isFeedFormat(value: string): value is FeedFormat {
  return (FEED_FORMATS as readonly string[]).includes(value);
}

/** Every row of a feed, in order, as a product or a rejection; streams (see docs/feeds.md). */
export function parseFeed(format: FeedFormat, input: AsyncIterable<Buffer | string>, options: FeedOptions = {}): AsyncGenerator<ParsedRow> {
  return PARSERS[format](input, options);
}

export type { FeedOptions } from './options.ts';
export { parseCsv, parseGoogleMerchantXml, parseJsonl, parseShopifyProductsJson };
