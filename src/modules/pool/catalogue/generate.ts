import type { ProductInput } from '../model.ts';
import { AUDIENCES, type Brand, type Leaf, LEAVES, PREFIXES, SHOP_PLACES, SHOP_SUFFIXES, SHOP_WORDS, SUFFIXES } from './vocabulary.ts';

/**
 * A deterministic, realistic product catalogue for the demo pool and the benchmarks: long Chinese
 * titles (and a few English ones) over many categories, brands, models and specs; log-normal
 * prices from 1 to 10,000 yuan; rates from 1% to the category's cap (5% for phones, 50% for
 * skincare), skewed low; coupons on about 40%; heavy-tailed sales; shop names and scores; and about 3% near-duplicates: a recent product offered again by another
 * source under the same brand and title (give or take a promotion prefix), at a close price.
 */
export type CatalogueSourceKey = 'pdd' | 'jd' | 'taobao' | 'youzan' | 'weimob' | 'mokuai';
export type CatalogueProduct = ProductInput & { sourceKey: CatalogueSourceKey };

const SOURCE_KEYS: CatalogueSourceKey[] = ['pdd', 'jd', 'taobao', 'youzan', 'weimob', 'mokuai'];
/** Platform sources carry most of a real pool; merchant mini-programs less. */
const SOURCE_WEIGHTS = [30, 25, 25, 8, 6, 6];
const DUPLICATE_SHARE = 0.03;
export const PROMOTION_PREFIX = /^(【[^】]*】|包邮|2026新款) ?/;
const RECENT = 256;
/** Coupon windows around the demo's "now" (late November 2026). */
const COUPON_WINDOWS: [string | null, string | null][] = [
  [null, null],
  ['2026-11-01T00:00:00Z', '2026-12-31T16:00:00Z'],
  ['2026-11-20T00:00:00Z', '2026-11-30T16:00:00Z'],
  [null, '2027-01-31T16:00:00Z'],
];

type Random = () => number;

/** mulberry32: a tiny seeded PRNG, so a seed gives the same catalogue everywhere. */
function rng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function weighted<T>(random: Random, items: readonly T[], weights: readonly number[]): T {
  let r = random() * weights.reduce((a, w) => a + w, 0);
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]!;
    if (r < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** Standard normal by Box–Muller. */
const gaussian = (random: Random) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** Log-normal around the category's median, 1 to 10,000 yuan, ending like real prices: 59.90, 59.99, 60.00. */
function priceFen(random: Random, medianFen: number): number {
  const raw = Math.exp(Math.log(medianFen) + 0.75 * gaussian(random));
  const yuan = Math.min(10_000, Math.max(1, Math.round(raw / 100)));
  return Math.max(100, yuan * 100 - pick(random, [10, 1, 0, 0]));
}

/** From 1% to the category's cap (at most 50%), skewed low, in steps of 10 bps: a phone pays 1–5%, a serum 1–50%. */
const rateBps = (random: Random, leaf: Leaf) => Math.round((100 + (leaf.rateCapBps - 100) * Math.pow(random(), 2.6)) / 10) * 10;

/** Pareto-like: a quarter sold nothing this month, a few sold hundreds of thousands. */
function sales30d(random: Random): number {
  if (random() < 0.25) return 0;
  return Math.min(2_000_000, Math.floor(3 * (Math.pow(1 - random(), -1 / 1.1) - 1)));
}

function shopScore(random: Random): number | null {
  if (random() < 0.06) return null;
  return 500 - Math.min(150, Math.floor(-Math.log(1 - random()) * 20));
}

const hex = (random: Random) => Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');

function joinPieces(random: Random, pieces: string[]): string {
  let title = '';
  for (const p of pieces) {
    if (p === '') continue;
    title += title === '' || random() < 0.35 ? p : ` ${p}`;
  }
  return title;
}

function chineseTitle(random: Random, leaf: Leaf, brand: Brand): string {
  const pieces = [pick(random, PREFIXES), brand.name];
  if (brand.alias && random() < 0.4) pieces.push(brand.alias);
  if (brand.models && random() < 0.8) pieces.push(pick(random, brand.models));
  else if (random() < 0.3) pieces.push(`${String.fromCharCode(65 + Math.floor(random() * 26))}${10 + Math.floor(random() * 990)}`);
  const noun = pick(random, leaf.nouns);
  pieces.push(noun);
  for (const slot of leaf.nounSpecs?.[noun] ?? leaf.specs) if (random() < 0.75) pieces.push(pick(random, slot));
  const points = 1 + Math.floor(random() * 3);
  for (let k = 0; k < points; k++) pieces.push(pick(random, leaf.points));
  pieces.push(pick(random, AUDIENCES), pick(random, SUFFIXES));
  return joinPieces(random, [...new Set(pieces)]);
}

function englishTitle(random: Random, leaf: Leaf, brand: Brand): string {
  const name = brand.alias && /^[\x20-\x7e]+$/.test(brand.alias) ? brand.alias : brand.name;
  const model = brand.models && random() < 0.6 ? ` ${pick(random, brand.models)}` : '';
  const spec = random() < 0.6 ? ` ${pick(random, leaf.specs[0]!)}` : '';
  return `${name}${model} ${pick(random, leaf.english)}${spec}`;
}

function sourceProductId(random: Random, key: CatalogueSourceKey, i: number): string {
  const n = i * 97 + Math.floor(random() * 97);
  switch (key) {
    case 'jd':
      return String(100_000_000_000 + n);
    case 'taobao':
      return String(600_000_000_000 + n);
    case 'pdd':
      return `E9_2${(1e12 + n).toString(36)}`;
    case 'youzan':
      return `2x${(1e10 + n).toString(36)}`;
    case 'weimob':
      return String(20_000_000 + n);
    case 'mokuai':
      return `mk${n}`;
  }
}

function productUrl(key: CatalogueSourceKey, id: string): string {
  switch (key) {
    case 'jd':
      return `https://item.jd.com/${id}.html`;
    case 'taobao':
      return `https://item.taobao.com/item.htm?id=${id}`;
    case 'pdd':
      return `https://mobile.yangkeduo.com/goods.html?goods_sign=${id}`;
    case 'youzan':
      return `https://shop.youzan.com/wscgoods/detail/${id}`;
    case 'weimob':
      return `https://shop.weimob.com/goods/${id}`;
    case 'mokuai':
      return `https://m.mokuai.example/item/${id}`;
  }
}

function coupon(random: Random, priceMinor: number): ProductInput['coupon'] {
  if (random() >= 0.4) return null;
  const amountMinor = priceMinor < 2_000 ? 100 * (1 + Math.floor(random() * 3)) : Math.max(100, Math.round((priceMinor * (0.05 + random() * 0.25)) / 100) * 100);
  if (amountMinor >= priceMinor) return null;
  const roll = random();
  // Most coupons apply to one unit; some need a bigger basket (满300减30) and so do not.
  const thresholdMinor = roll < 0.5 ? 0 : roll < 0.9 ? priceMinor - (priceMinor % 1_000) : priceMinor + 10_000;
  const [startsAt, endsAt] = pick(random, COUPON_WINDOWS);
  return { amountMinor, thresholdMinor, startsAt, endsAt };
}

function freshProduct(random: Random, sourceKey: CatalogueSourceKey, i: number): CatalogueProduct {
  const leaf = pick(random, LEAVES);
  const brand = pick(random, leaf.brands);
  const title = random() < 0.05 ? englishTitle(random, leaf, brand) : chineseTitle(random, leaf, brand);
  const priceMinor = priceFen(random, leaf.medianFen);
  const rate = rateBps(random, leaf);
  const id = sourceProductId(random, sourceKey, i);
  const ownShop = random() < 0.4;
  return {
    sourceKey,
    sourceProductId: id,
    title,
    brand: random() < 0.08 ? null : brand.name,
    categoryPath: [...leaf.path],
    images: Array.from({ length: 1 + Math.floor(random() * 4) }, () => `https://img.vitrine.example/${hex(random)}${hex(random)}.jpg`),
    priceMinor,
    currency: 'CNY',
    coupon: coupon(random, priceMinor),
    // Merchant feeds sometimes carry no rate, and the source's default (12–15% in the demo) applies;
    // not for kinds paying less than that (a laptop at 15% would look wrong).
    commissionRateBps: (sourceKey === 'youzan' || sourceKey === 'weimob') && random() < 0.3 && leaf.rateCapBps >= 2_000 ? null : rate,
    sales30d: sales30d(random),
    shopName: ownShop ? `${brand.name}${pick(random, SHOP_SUFFIXES)}` : `${pick(random, SHOP_PLACES)}${pick(random, SHOP_WORDS)}${pick(random, ['店', '商行', '旗舰店', '专营店'])}`,
    shopScore: shopScore(random),
    productUrl: productUrl(sourceKey, id),
    online: random() >= 0.02,
  };
}

const LEAF_BY_PATH = new Map(LEAVES.map((leaf) => [leaf.path.join('>'), leaf]));
const leafOf = (product: CatalogueProduct): Leaf => LEAF_BY_PATH.get(product.categoryPath.join('>'))!;

/** The same product (brand and title, give or take a promotion prefix) from another source, at a close price. */
function offeredAgain(random: Random, original: CatalogueProduct, sourceKey: CatalogueSourceKey, i: number): CatalogueProduct {
  const priceMinor = Math.min(1_000_000, Math.max(100, Math.round((original.priceMinor * (0.92 + random() * 0.16)) / 10) * 10));
  const base = original.title.replace(PROMOTION_PREFIX, '');
  const id = sourceProductId(random, sourceKey, i);
  return {
    ...original,
    sourceKey,
    sourceProductId: id,
    title: joinPieces(random, [pick(random, PREFIXES), base]),
    priceMinor,
    coupon: coupon(random, priceMinor),
    commissionRateBps: rateBps(random, leafOf(original)),
    sales30d: sales30d(random),
    shopScore: shopScore(random),
    productUrl: productUrl(sourceKey, id),
    online: true,
  };
}

export function* generateCatalogue(n: number, seed: number): Generator<CatalogueProduct> {
  const random = rng(seed);
  const recent: CatalogueProduct[] = [];
  for (let i = 0; i < n; i++) {
    const sourceKey = weighted(random, SOURCE_KEYS, SOURCE_WEIGHTS);
    const original = recent.length > 0 && random() < DUPLICATE_SHARE ? pick(random, recent) : null;
    const product = original && original.sourceKey !== sourceKey ? offeredAgain(random, original, sourceKey, i) : freshProduct(random, sourceKey, i);
    if (!original) {
      if (recent.length < RECENT) recent.push(product);
      else recent[i % RECENT] = product;
    }
    yield product;
  }
}
