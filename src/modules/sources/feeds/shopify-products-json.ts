import { InvalidInput } from '../../../core/errors.ts';
import type { ParsedRow, ProductInput } from '../../pool/model.ts';
import { parseHttpUrl, parseMoneyIn, splitPath } from './fields.ts';
import { defaultCurrencyOf, type FeedOptions } from './options.ts';
import { FieldError, toParsedRow } from './rejection.ts';

/**
 * Shopify pages `products.json` at 250 products at most, so one page is read whole and parsed with
 * JSON.parse; anything larger than this is not a page and is refused.
 */
const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;
/** Shopify's title of the only variant of a product without options. */
const DEFAULT_VARIANT_TITLE = 'Default Title';

type Json = Record<string, unknown>;

interface Shop {
  currency: string;
  /** Prefix of product URLs: the shop's origin, or '' when unknown (URLs stay paths). */
  url: string;
}

/**
 * A Shopify `products.json` page (`{ "products": [...] }`), one row per variant: the variant is
 * what a shopper buys and what has a price. Rows are numbered from 1 across all variants; a
 * product that cannot be read at all is one rejected row. Prices carry no currency in this
 * document, so they are in `options.defaultCurrency`.
 */
export async function* parseShopifyProductsJson(
  input: AsyncIterable<Buffer | string>,
  options: FeedOptions = {},
): AsyncGenerator<ParsedRow> {
  const shop: Shop = { currency: defaultCurrencyOf(options), url: shopUrlOf(options) };
  const products = productsOf(await readDocument(input));
  let row = 0;
  for (const [p, product] of products.entries()) {
    for (const build of variantBuilders(product, `products[${p}]`, shop)) {
      row += 1;
      yield toParsedRow(row, build);
    }
  }
}

function variantBuilders(product: unknown, at: string, shop: Shop): Array<() => ProductInput> {
  if (!isObject(product)) return [() => fail(`${at} is not an object`)];
  const variants = product.variants;
  if (!Array.isArray(variants) || variants.length === 0) return [() => fail(`${at}.variants is missing or empty`)];
  return variants.map((variant, v) => () => productOfVariant(product, at, variant, `${at}.variants[${v}]`, shop));
}

function productOfVariant(product: Json, productAt: string, variant: unknown, at: string, shop: Shop): ProductInput {
  if (!isObject(variant)) fail(`${at} is not an object`);
  const variantId = idOf(variant.id, `${at}.id`);
  const productTitle = textOf(product.title, `${productAt}.title`) ?? fail(`${productAt}.title is required`);
  const variantTitle = textOf(variant.title, `${at}.title`);
  const priceMinor = parseMoneyIn(moneyTextOf(variant.price, `${at}.price`), `${at}.price`, shop.currency);
  if (priceMinor === 0) fail(`${at}.price must be greater than 0`);
  const handle = textOf(product.handle, `${productAt}.handle`);
  return {
    sourceProductId: variantId,
    title: variantTitle === undefined || variantTitle === DEFAULT_VARIANT_TITLE ? productTitle : `${productTitle} - ${variantTitle}`,
    brand: textOf(product.vendor, `${productAt}.vendor`) ?? null,
    categoryPath: splitPath(textOf(product.product_type, `${productAt}.product_type`) ?? ''),
    images: imagesOf(product, productAt, variant, at),
    priceMinor,
    currency: shop.currency,
    coupon: null,
    commissionRateBps: null,
    sales30d: null,
    shopName: null,
    shopScore: null,
    // ?variant= preselects the variant on Shopify's product page.
    productUrl: handle === undefined ? null : `${shop.url}/products/${encodeURIComponent(handle)}?variant=${variantId}`,
    // `available` is in the storefront document, `status` in the Admin API's.
    online: variant.available !== false && (product.status === undefined || product.status === 'active'),
  };
}

/** The variant's own image first, then the images tied to it, then the rest of the product's. */
function imagesOf(product: Json, productAt: string, variant: Json, at: string): string[] {
  const images = Array.isArray(product.images) ? product.images.filter(isObject) : [];
  const tied = (image: Json) => Array.isArray(image.variant_ids) && image.variant_ids.includes(variant.id);
  const featured = isObject(variant.featured_image) ? [{ src: variant.featured_image.src, at: `${at}.featured_image.src` }] : [];
  const candidates = [
    ...featured,
    ...images.filter(tied).map((image) => ({ src: image.src, at: `${productAt}.images.src` })),
    ...images.map((image) => ({ src: image.src, at: `${productAt}.images.src` })),
  ];
  const urls = candidates.flatMap(({ src, at: field }) => {
    const text = textOf(src, field);
    return text === undefined ? [] : [parseHttpUrl(text, field)];
  });
  return [...new Set(urls)];
}

async function readDocument(input: AsyncIterable<Buffer | string>): Promise<unknown> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    bytes += buffer.length;
    if (bytes > MAX_DOCUMENT_BYTES) {
      throw new InvalidInput('malformed_file', `Shopify products.json is over ${MAX_DOCUMENT_BYTES} bytes; import it page by page (limit=250)`);
    }
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    if (err instanceof SyntaxError) throw new InvalidInput('malformed_file', `Shopify products.json is not JSON: ${err.message}`);
    throw err;
  }
}

function productsOf(document: unknown): unknown[] {
  if (!isObject(document) || !Array.isArray(document.products)) {
    throw new InvalidInput('malformed_file', 'Shopify products.json must be an object with a "products" array');
  }
  return document.products;
}

function shopUrlOf(options: FeedOptions): string {
  if (options.shopUrl === undefined) return '';
  try {
    return parseHttpUrl(options.shopUrl, 'shopUrl').replace(/\/+$/, '');
  } catch (err) {
    if (err instanceof FieldError) throw new InvalidInput('invalid_feed_option', err.message);
    throw err;
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Shopify ids are JSON numbers (safe integers) in the REST documents; strings are taken as they are. */
function idOf(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return fail(`${field} is missing or not an id`);
}

function textOf(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`${field} must be a string`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Shopify writes prices as strings ("59.90"); a number is read by its JSON text. */
function moneyTextOf(value: unknown, field: string): string {
  if (typeof value === 'number') return String(value);
  return textOf(value, field) ?? fail(`${field} is required`);
}

function fail(reason: string): never {
  throw new FieldError(reason);
}
