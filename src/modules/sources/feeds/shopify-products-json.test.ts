import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../../core/errors.ts';
import { parseShopifyProductsJson } from './shopify-products-json.ts';
import { collect, fixture, inChunks, inStrings, productAt, rejections } from './testing.ts';

const SHOP = { shopUrl: 'https://teahouse.example.com/' };

describe('parseShopifyProductsJson', () => {
  it('makes one row per variant, titled after product and variant, priced from the string price', async () => {
    const rows = await collect(parseShopifyProductsJson(inChunks(fixture('shopify-products.json'), 5), SHOP));
    expect(productAt(rows, 1)).toEqual({
      sourceProductId: '41230000000001',
      title: '手工紫砂壶 西施壶 - 180ml',
      brand: '宜兴陶坊',
      categoryPath: ['茶具', '茶壶'],
      images: ['https://cdn.shopify.com/s/files/1/teapot-main.jpg', 'https://cdn.shopify.com/s/files/1/teapot-240.jpg'],
      priceMinor: 26_800,
      currency: 'CNY',
      coupon: null,
      commissionRateBps: null,
      sales30d: null,
      shopName: null,
      shopScore: null,
      productUrl: 'https://teahouse.example.com/products/zisha-xishi-teapot?variant=41230000000001',
      online: true,
    });
  });

  it('puts the variant’s own image first and takes an unavailable variant offline', async () => {
    const rows = await collect(parseShopifyProductsJson(inChunks(fixture('shopify-products.json')), SHOP));
    expect(productAt(rows, 2)).toMatchObject({
      title: '手工紫砂壶 西施壶 - 240ml',
      priceMinor: 29_850,
      images: ['https://cdn.shopify.com/s/files/1/teapot-240.jpg', 'https://cdn.shopify.com/s/files/1/teapot-main.jpg'],
      online: false,
    });
  });

  it('uses the product title alone for the "Default Title" variant, and a path when the shop is unknown', async () => {
    const rows = await collect(parseShopifyProductsJson(inChunks(fixture('shopify-products.json')), { defaultCurrency: 'USD' }));
    expect(productAt(rows, 3)).toMatchObject({
      title: '云南普洱 熟茶饼 357g',
      categoryPath: [],
      currency: 'USD',
      productUrl: '/products/puer-cake-357?variant=41230000000003',
    });
  });

  it('rejects a bad variant, and a product without variants, as one row each', async () => {
    const rows = await collect(parseShopifyProductsJson(inChunks(fixture('shopify-products.json'))));
    expect(rejections(rows)).toEqual([
      { row: 4, rejected: 'products[2].variants[0].price has more than 2 decimals: "12.345"' },
      { row: 5, rejected: 'products[3].variants is missing or empty' },
    ]);
  });

  it('takes an Admin API product that is not active offline', async () => {
    const doc = { products: [{ id: 1, title: '茶盘', handle: 'tea-tray', status: 'draft', variants: [{ id: 2, title: 'Default Title', price: '88.00' }] }] };
    const rows = await collect(parseShopifyProductsJson(inStrings(JSON.stringify(doc))));
    expect(productAt(rows, 1)).toMatchObject({ sourceProductId: '2', online: false, priceMinor: 8800 });
  });

  it('throws InvalidInput on a document that is not a products page', async () => {
    await expect(collect(parseShopifyProductsJson(inStrings('{"products": ['), SHOP))).rejects.toThrow(InvalidInput);
    await expect(collect(parseShopifyProductsJson(inStrings('{"product": {}}'), SHOP))).rejects.toThrow('must be an object with a "products" array');
  });
});
