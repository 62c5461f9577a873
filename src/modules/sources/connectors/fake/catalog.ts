import { createHash } from 'node:crypto';

/**
 * A small, deterministic catalogue of the kind of goods the three alliances list. Item `i` of any
 * fake is built from entry i mod 10, varied by i, so that any run generates the same items.
 */
export interface CatalogEntry {
  brand: string;
  product: string;
  spec: string;
  topCategory: string;
  leafCategory: string;
  basePriceFen: number;
  ratePerMille: number;
  salesTip: string;
}

export const CATALOG: readonly CatalogEntry[] = [
  { brand: '南极人', product: '纯棉四件套', spec: '1.8m床 加厚磨毛', topCategory: '家居家纺', leafCategory: '床品套件', basePriceFen: 15900, ratePerMille: 200, salesTip: '10万+' },
  { brand: '三只松鼠', product: '每日坚果礼盒', spec: '750g/30袋', topCategory: '食品', leafCategory: '坚果炒货', basePriceFen: 12900, ratePerMille: 125, salesTip: '5万+' },
  { brand: '小米', product: '充电宝', spec: '20000毫安 22.5W快充', topCategory: '数码', leafCategory: '移动电源', basePriceFen: 9900, ratePerMille: 50, salesTip: '2.5万+' },
  { brand: '良品铺子', product: '猪肉脯', spec: '200g*2袋 靖江风味', topCategory: '食品', leafCategory: '肉干肉脯', basePriceFen: 2990, ratePerMille: 150, salesTip: '3000+' },
  { brand: '安踏', product: '男子跑步鞋', spec: '轻便透气 缓震', topCategory: '运动户外', leafCategory: '跑步鞋', basePriceFen: 19900, ratePerMille: 80, salesTip: '1.2万+' },
  { brand: '蓝月亮', product: '深层洁净洗衣液', spec: '3kg*2瓶 薰衣草香', topCategory: '日用百货', leafCategory: '洗衣液', basePriceFen: 3990, ratePerMille: 300, salesTip: '10万+' },
  { brand: '百草味', product: '芒果干', spec: '120g*3袋', topCategory: '食品', leafCategory: '果干蜜饯', basePriceFen: 1990, ratePerMille: 205, salesTip: '856' },
  { brand: '洁柔', product: '抽纸', spec: '3层120抽*24包整箱', topCategory: '日用百货', leafCategory: '抽纸', basePriceFen: 4590, ratePerMille: 60, salesTip: '2万+' },
  { brand: '美的', product: '智能电饭煲', spec: '4L大容量 预约定时', topCategory: '家用电器', leafCategory: '电饭煲', basePriceFen: 29900, ratePerMille: 45, salesTip: '7800+' },
  { brand: '罗莱', product: '大豆纤维冬被', spec: '200x230cm 加厚保暖', topCategory: '家居家纺', leafCategory: '被子', basePriceFen: 25900, ratePerMille: 120, salesTip: '1.5万+' },
];

export function catalogEntry(index: number): CatalogEntry {
  return CATALOG[index % CATALOG.length]!;
}

/** The price of item `index`: its entry's base price, raised a yuan for each later round. */
export function priceFenOf(index: number): number {
  return catalogEntry(index).basePriceFen + Math.floor(index / CATALOG.length) * 100;
}

export function titleOf(index: number): string {
  const e = catalogEntry(index);
  return `${e.brand}${e.product} ${e.spec}${index >= CATALOG.length ? ` 第${Math.floor(index / CATALOG.length) + 1}批` : ''}`;
}

/** Stable pseudo-random hex for ids and image names. */
export function digest(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** Fen as a yuan decimal string with two places: 5990 -> "59.90", 1 -> "0.01". */
export function fenToYuanText(fen: number): string {
  return `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Every even item carries a coupon worth a tenth of its price (whole yuan), above a whole-yuan threshold. */
export function couponOf(index: number): { discountFen: number; thresholdFen: number } | null {
  if (index % 2 === 1) return null;
  const price = priceFenOf(index);
  return { discountFen: Math.max(100, Math.floor(price / 1000) * 100), thresholdFen: Math.floor(price / 100) * 100 };
}

/** Coupons of the fakes run over Beijing days 2026-11-20 .. 2026-11-30. */
export const COUPON_START_MS = Date.UTC(2026, 10, 19, 16, 0, 0);
export const COUPON_END_MS = Date.UTC(2026, 10, 30, 15, 59, 59);
