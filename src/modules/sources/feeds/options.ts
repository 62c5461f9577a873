import { InvalidInput } from '../../../core/errors.ts';
import { parseCurrency } from './fields.ts';
import { FieldError } from './rejection.ts';

/** What a caller may tell a feed parser that the feed itself does not say. */
export interface FeedOptions {
  /** Currency of prices that carry none (a CSV/JSONL row without `currency`, every Shopify price). Default CNY. */
  defaultCurrency?: string;
  /** Shopify: the shop's origin ("https://shop.example.com"), prefixed to `/products/<handle>`. */
  shopUrl?: string;
  /** Google Merchant Center: the instant a `g:sale_price_effective_date` window is checked at. Default: now. */
  now?: string;
}

const DEFAULT_CURRENCY = 'CNY';

/** The default currency, checked once before the first row rather than blamed on every row. */
export function defaultCurrencyOf(options: FeedOptions): string {
  try {
    return parseCurrency(options.defaultCurrency ?? DEFAULT_CURRENCY, 'defaultCurrency');
  } catch (err) {
    if (err instanceof FieldError) throw new InvalidInput('invalid_feed_option', err.message);
    throw err;
  }
}
