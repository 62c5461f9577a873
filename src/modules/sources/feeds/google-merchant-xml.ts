import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { InvalidInput } from '../../../core/errors.ts';
import type { ParsedRow, ProductInput } from '../../pool/model.ts';
import { parseHttpUrl, parseInstant, parseMoney, parseMoneyIn, splitPath } from './fields.ts';
import { defaultCurrencyOf, type FeedOptions } from './options.ts';
import { FieldError, toParsedRow } from './rejection.ts';

const G = 'http://base.google.com/ns/1.0';
const ATOM = 'http://www.w3.org/2005/Atom';

/**
 * The item fields we read, as `g:<name>` for the Google namespace and the bare name for RSS/Atom
 * ones. Only direct children of an item count: `g:shipping` has a `g:price` of its own.
 */
const READ = new Set([
  'g:id', 'title', 'g:title', 'link', 'g:link', 'g:image_link', 'g:additional_image_link', 'g:price', 'g:sale_price',
  'g:sale_price_effective_date', 'g:brand', 'g:product_type', 'g:google_product_category', 'g:availability',
]);

/** Google's availability values (and the older spelled-out ones): preorder and backorder can still be bought. */
const ONLINE_BY_AVAILABILITY = new Map([
  ['in_stock', true],
  ['preorder', true],
  ['backorder', true],
  ['available_for_order', true],
  ['out_of_stock', false],
]);

type Item = Map<string, string[]>;

/**
 * A Google Merchant Center product feed: RSS 2.0 `<item>`s or Atom `<entry>`s with
 * `xmlns:g="http://base.google.com/ns/1.0"` fields, streamed with saxes. The row number is the
 * item's position from 1. XML that is not well-formed, or not UTF-8, throws InvalidInput.
 */
export async function* parseGoogleMerchantXml(
  input: AsyncIterable<Buffer | string>,
  options: FeedOptions = {},
): AsyncGenerator<ParsedRow> {
  const defaultCurrency = defaultCurrencyOf(options);
  const now = nowOf(options);
  const reader = new ItemReader((itemNumber, item) => toParsedRow(itemNumber, () => productOfItem(item, defaultCurrency, now)));
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input) yield* reader.write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  yield* reader.write(decoder.end());
  yield* reader.close();
}

/** Collects each item's fields as saxes reports them; rows are handed out after each chunk. */
class ItemReader {
  private readonly parser = new SaxesParser({ xmlns: true });
  private readonly ready: ParsedRow[] = [];
  private item: Item | null = null;
  private depthInItem = 0;
  private field: string | null = null;
  private text = '';
  private itemNumber = 0;

  constructor(private readonly toRow: (itemNumber: number, item: Item) => ParsedRow) {
    this.parser.on('xmldecl', ({ encoding }) => {
      if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
        throw new InvalidInput('malformed_file', `Google Merchant Center feed must be UTF-8, it declares ${encoding}`);
      }
    });
    this.parser.on('error', (err) => {
      throw new InvalidInput('malformed_file', `Google Merchant Center XML is malformed: ${err.message}`);
    });
    this.parser.on('opentag', (tag) => this.onOpen(tag));
    this.parser.on('text', (text) => this.onText(text));
    this.parser.on('cdata', (text) => this.onText(text));
    this.parser.on('closetag', () => this.onClose());
  }

  *write(text: string): Generator<ParsedRow> {
    if (text !== '') this.parser.write(text);
    yield* this.ready.splice(0);
  }

  *close(): Generator<ParsedRow> {
    this.parser.close();
    yield* this.ready.splice(0);
  }

  private onOpen(tag: SaxesTagNS): void {
    if (this.item === null) {
      if (isItem(tag)) this.item = new Map();
      return;
    }
    this.depthInItem += 1;
    if (this.depthInItem !== 1) return;
    const name = tag.uri === G ? `g:${tag.local}` : tag.local;
    this.field = READ.has(name) ? name : null;
    this.text = '';
    // Atom links carry the URL in href, not as text.
    const href = tag.attributes.href?.value;
    if (this.field === 'link' && tag.uri === ATOM && href !== undefined) this.text = href;
  }

  private onText(text: string): void {
    if (this.field !== null && this.depthInItem === 1) this.text += text;
  }

  private onClose(): void {
    if (this.item === null) return;
    if (this.depthInItem === 0) {
      this.itemNumber += 1;
      this.ready.push(this.toRow(this.itemNumber, this.item));
      this.item = null;
      return;
    }
    if (this.depthInItem === 1 && this.field !== null) {
      const values = this.item.get(this.field) ?? [];
      values.push(this.text.trim());
      this.item.set(this.field, values);
      this.field = null;
    }
    this.depthInItem -= 1;
  }
}

function isItem(tag: SaxesTagNS): boolean {
  return (tag.local === 'item' && tag.uri === '') || (tag.local === 'entry' && tag.uri === ATOM);
}

function productOfItem(item: Item, defaultCurrency: string, now: string): ProductInput {
  const first = (name: string) => item.get(name)?.find((value) => value !== '');
  const sourceProductId = first('g:id') ?? missing('g:id');
  const title = first('g:title') ?? first('title') ?? missing('title');
  const listPrice = parseMoney(first('g:price') ?? missing('g:price'), 'g:price');
  const currency = listPrice.currency ?? defaultCurrency;
  const priceMinor = priceAt(now, listPrice.amountMinor, first('g:sale_price'), first('g:sale_price_effective_date'), currency);
  if (priceMinor === 0) throw new FieldError('g:price must be greater than 0');
  const link = first('g:link') ?? first('link');
  return {
    sourceProductId,
    title,
    brand: first('g:brand') ?? null,
    categoryPath: categoryOf(first('g:product_type'), first('g:google_product_category')),
    images: imagesOf(item),
    priceMinor,
    currency,
    coupon: null,
    commissionRateBps: null,
    sales30d: null,
    shopName: null,
    shopScore: null,
    productUrl: link === undefined ? null : parseHttpUrl(link, 'link'),
    online: onlineOf(first('g:availability')),
  };
}

/** The sale price when there is one and `now` is inside its effective window (if it has one). */
function priceAt(now: string, listMinor: number, sale: string | undefined, window: string | undefined, currency: string): number {
  if (sale === undefined) return listMinor;
  const saleMinor = parseMoneyIn(sale, 'g:sale_price', currency);
  if (window === undefined) return saleMinor;
  const { startsAt, endsAt } = windowOf(window);
  return startsAt <= now && now < endsAt ? saleMinor : listMinor;
}

/** "2026-11-01T00:00+08:00/2026-11-12T00:00+08:00", ISO 8601 start/end. */
function windowOf(text: string): { startsAt: string; endsAt: string } {
  const field = 'g:sale_price_effective_date';
  const parts = text.split('/');
  if (parts.length !== 2) throw new FieldError(`${field} must be "start/end", got "${text}"`);
  const startsAt = parseInstant(parts[0]!, field, 'start');
  const endsAt = parseInstant(parts[1]!, field, 'end');
  if (startsAt >= endsAt) throw new FieldError(`${field} ends before it starts: "${text}"`);
  return { startsAt, endsAt };
}

/** Our own product_type first; Google's category only when given as a path, not as a numeric id. */
function categoryOf(productType: string | undefined, googleCategory: string | undefined): string[] {
  if (productType !== undefined) return splitPath(productType);
  if (googleCategory !== undefined && !/^\d+$/.test(googleCategory)) return splitPath(googleCategory);
  return [];
}

function imagesOf(item: Item): string[] {
  const urls = ['g:image_link', 'g:additional_image_link'].flatMap((field) =>
    (item.get(field) ?? []).filter((url) => url !== '').map((url) => parseHttpUrl(url, field)),
  );
  return [...new Set(urls)];
}

/** Google requires availability; an item without it is taken as in stock. */
function onlineOf(availability: string | undefined): boolean {
  if (availability === undefined) return true;
  const online = ONLINE_BY_AVAILABILITY.get(availability.toLowerCase().replace(/\s+/g, '_'));
  if (online === undefined) {
    throw new FieldError(`g:availability must be in_stock, out_of_stock, preorder or backorder, got "${availability}"`);
  }
  return online;
}

function missing(field: string): never {
  throw new FieldError(`${field} is required`);
}

function nowOf(options: FeedOptions): string {
  if (options.now === undefined) return new Date().toISOString();
  const ms = Date.parse(options.now);
  if (Number.isNaN(ms)) throw new InvalidInput('invalid_feed_option', `now is not an instant: "${options.now}"`);
  return new Date(ms).toISOString();
}
