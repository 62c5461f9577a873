import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../../core/errors.ts';
import { parseGoogleMerchantXml } from './google-merchant-xml.ts';
import { collect, fixture, inChunks, productAt, rejections } from './testing.ts';

const IN_SALE = { now: '2026-11-05T00:00:00.000Z' };
const AFTER_SALE = { now: '2026-11-12T00:00:00.000Z' };

function rss(items: string): string {
  return `<?xml version="1.0"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>${items}</channel></rss>`;
}

describe('parseGoogleMerchantXml on an RSS feed', () => {
  it('reads the g: fields of each item, ignoring the g:price nested in g:shipping', async () => {
    const rows = await collect(parseGoogleMerchantXml(inChunks(fixture('merchant-center.xml')), IN_SALE));
    expect(productAt(rows, 1)).toEqual({
      sourceProductId: 'BEAR-3001',
      title: '小熊 养生壶 1.5L 多功能 & 煮茶器',
      brand: '小熊',
      categoryPath: ['家用电器', '厨房电器', '养生壶'],
      images: ['https://img.example.cn/3001.jpg', 'https://img.example.cn/3001-b.jpg', 'https://img.example.cn/3001-c.jpg'],
      priceMinor: 12_990,
      currency: 'CNY',
      coupon: null,
      commissionRateBps: null,
      sales30d: null,
      shopName: null,
      shopScore: null,
      productUrl: 'https://shop.example.cn/p/3001',
      online: true,
    });
  });

  it('takes the sale price only inside its effective window', async () => {
    const during = await collect(parseGoogleMerchantXml(inChunks(fixture('merchant-center.xml')), IN_SALE));
    const after = await collect(parseGoogleMerchantXml(inChunks(fixture('merchant-center.xml')), AFTER_SALE));
    expect(productAt(during, 2).priceMinor).toBe(6900);
    expect(productAt(after, 2).priceMinor).toBe(8900);
    expect(productAt(after, 1).priceMinor).toBe(12_990);
  });

  it('maps availability, reads a textual Google category as the path, and keeps the price currency', async () => {
    const rows = await collect(parseGoogleMerchantXml(inChunks(fixture('merchant-center.xml')), IN_SALE));
    expect(productAt(rows, 2)).toMatchObject({
      title: '小熊 酸奶机 家用全自动',
      productUrl: 'https://shop.example.cn/p/3002',
      categoryPath: ['Home & Garden', 'Kitchen & Dining', 'Kitchen Appliances'],
      online: false,
    });
    expect(productAt(rows, 4)).toMatchObject({ priceMinor: 1500, currency: 'USD', online: true, categoryPath: [] });
  });

  it('rejects an item without a price by its position and goes on', async () => {
    const rows = await collect(parseGoogleMerchantXml(inChunks(fixture('merchant-center.xml')), IN_SALE));
    expect(rejections(rows)).toEqual([{ row: 3, rejected: 'g:price is required' }]);
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
  });

  it('reads the same from one-byte chunks', async () => {
    const whole = await collect(parseGoogleMerchantXml(inChunks(fixture('merchant-center.xml')), IN_SALE));
    expect(await collect(parseGoogleMerchantXml(inChunks(fixture('merchant-center.xml'), 1), IN_SALE))).toEqual(whole);
  });

  it('rejects bad values with the field named', async () => {
    const rows = await collect(
      parseGoogleMerchantXml(
        inChunks(
          rss(`
            <item><g:id>1</g:id><title>a</title><g:price>12.345 CNY</g:price></item>
            <item><g:id>2</g:id><title>b</title><g:price>10 CNY</g:price><g:availability>limited</g:availability></item>
            <item><g:id>3</g:id><title>c</title><g:price>10 CNY</g:price><g:sale_price>8 USD</g:sale_price></item>
            <item><title>d</title><g:price>10 CNY</g:price></item>
            <item><g:id>5</g:id><title>e</title><g:price>10 CNY</g:price><g:link>javascript:alert(1)</g:link></item>`),
        ),
      ),
    );
    expect(rejections(rows)).toEqual([
      { row: 1, rejected: 'g:price has more than 2 decimals: "12.345"' },
      { row: 2, rejected: 'g:availability must be in_stock, out_of_stock, preorder or backorder, got "limited"' },
      { row: 3, rejected: 'g:sale_price is in USD but the product is priced in CNY' },
      { row: 4, rejected: 'g:id is required' },
      { row: 5, rejected: 'link must be an http(s) URL, got "javascript:alert(1)"' },
    ]);
  });
});

describe('parseGoogleMerchantXml on other documents', () => {
  it('reads an Atom feed, with links in href', async () => {
    const rows = await collect(parseGoogleMerchantXml(inChunks(fixture('merchant-center-atom.xml'))));
    expect(rows).toEqual([
      {
        row: 1,
        product: expect.objectContaining({
          sourceProductId: 'JOYOUNG-4001',
          title: '九阳 破壁机 静音 1.2L',
          productUrl: 'https://shop.example.cn/p/4001',
          priceMinor: 59_900,
          brand: '九阳',
          categoryPath: ['家用电器', '厨房电器'],
          online: true,
        }),
      },
    ]);
  });

  it('throws InvalidInput on XML that is not well-formed', async () => {
    const broken = rss('<item><g:id>1</g:id><title>a</item>');
    await expect(collect(parseGoogleMerchantXml(inChunks(broken)))).rejects.toThrow(InvalidInput);
  });

  it('refuses a feed that declares another encoding than UTF-8', async () => {
    const gbk = '<?xml version="1.0" encoding="GBK"?><rss version="2.0"><channel></channel></rss>';
    await expect(collect(parseGoogleMerchantXml(inChunks(gbk)))).rejects.toThrow('must be UTF-8, it declares GBK');
  });

  it('streams: the first item arrives before the rest of the feed is read', async () => {
    let itemsWritten = 0;
    async function* endless() {
      yield '<?xml version="1.0"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>';
      for (;;) {
        itemsWritten += 100;
        yield '<item><g:id>1</g:id><title>小熊 电炖盅</title><g:price>99.00 CNY</g:price></item>'.repeat(100);
      }
    }
    let count = 0;
    for await (const row of parseGoogleMerchantXml(endless())) {
      count += 1;
      expect(row.row).toBe(count);
      if (count === 150) break;
    }
    expect(itemsWritten).toBeLessThan(1000);
  });
});
