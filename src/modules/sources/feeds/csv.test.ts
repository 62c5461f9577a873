import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../../core/errors.ts';
import { parseCsv } from './csv.ts';
import { collect, fixture, HeapWatch, inChunks, inStrings, productAt, rejections } from './testing.ts';

const HEADER = 'id,title,price\n';

async function parseText(text: string, options = {}) {
  return collect(parseCsv(inChunks(text), options));
}

describe('parseCsv on a merchant feed', () => {
  it('reads every documented column, in our units', async () => {
    const rows = await collect(parseCsv(inChunks(fixture('merchant.csv'))));
    expect(productAt(rows, 1)).toEqual({
      sourceProductId: 'SKU-1001',
      title: '小米 Redmi Note 13 5G 8GB+256GB 子夜黑',
      brand: '小米',
      categoryPath: ['数码', '手机'],
      images: ['https://img.example.cn/1001-a.jpg', 'https://img.example.cn/1001-b.jpg'],
      priceMinor: 119_900,
      currency: 'CNY',
      coupon: { amountMinor: 10_000, thresholdMinor: 100_000, startsAt: '2026-10-31T16:00:00.000Z', endsAt: '2026-11-11T16:00:00.000Z' },
      commissionRateBps: 1250,
      sales30d: 3560,
      shopName: '小米官方旗舰店',
      shopScore: 485,
      productUrl: 'https://shop.example.cn/item/1001',
      online: true,
    });
  });

  it('reads "59.9" as 5990 fen and "1.13" as 113, with basis points given directly', async () => {
    const rows = await collect(parseCsv(inChunks(fixture('merchant.csv'))));
    expect(productAt(rows, 2)).toMatchObject({ priceMinor: 5990, commissionRateBps: 2000, categoryPath: ['食品饮料', '休闲零食'], online: true });
    expect(productAt(rows, 3)).toMatchObject({ priceMinor: 113, commissionRateBps: 800, online: false });
  });

  it('keeps quotes and newlines inside quoted fields, and counts a multi-line record as one row', async () => {
    const rows = await collect(parseCsv(inChunks(fixture('merchant.csv'))));
    expect(productAt(rows, 2).title).toBe('三只松鼠 坚果礼盒 1.5kg "每日坚果"');
    expect(productAt(rows, 3).title).toBe('南极人 纯棉四件套\n1.8m床 简约条纹');
    expect(productAt(rows, 3).coupon).toEqual({
      amountMinor: 500,
      thresholdMinor: 0,
      startsAt: '2026-11-01T12:00:00.000Z',
      endsAt: '2026-11-03T15:59:59.000Z',
    });
  });

  it('rejects bad rows by data row number, with the field, and goes on', async () => {
    const rows = await collect(parseCsv(inChunks(fixture('merchant.csv'))));
    expect(rejections(rows)).toEqual([
      { row: 4, rejected: 'price has more than 2 decimals: "59.999"' },
      { row: 5, rejected: 'price must not be negative, got "-10.00"' },
      { row: 6, rejected: 'commission_rate must be between 0 and 10000 basis points (100%), got 12000' },
      { row: 7, rejected: 'row has 3 fields but the header has 19' },
      { row: 8, rejected: 'id is required' },
    ]);
    expect(productAt(rows, 9)).toMatchObject({ sourceProductId: 'SKU-1008', priceMinor: 29_900 });
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads the same with or without a BOM, and with chunks that split characters', async () => {
    const withBom = fixture('merchant.csv');
    expect([...withBom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const expected = await collect(parseCsv(inChunks(withBom)));
    expect(await collect(parseCsv(inChunks(withBom.subarray(3))))).toEqual(expected);
    expect(await collect(parseCsv(inChunks(withBom, 1)))).toEqual(expected);
    expect(await collect(parseCsv(inStrings(withBom.toString('utf8'))))).toEqual(expected);
  });
});

describe('parseCsv columns', () => {
  it('ignores unknown columns and takes header names in any case and order', async () => {
    const rows = await parseText('Price, TITLE ,备注,id\n9.90,抽纸 3层 100抽,包邮,P1\n');
    expect(productAt(rows, 1)).toMatchObject({ sourceProductId: 'P1', title: '抽纸 3层 100抽', priceMinor: 990, currency: 'CNY' });
  });

  it('keeps a bare quote inside an unquoted field as text', async () => {
    const rows = await parseText(`${HEADER}P1,华为 平板 11.5" 柔光版,1999\n`);
    expect(productAt(rows, 1).title).toBe('华为 平板 11.5" 柔光版');
  });

  it('defaults to online, CNY (or the feed default), no coupon, no rate', async () => {
    const rows = await parseText(`${HEADER}P1,抽纸,9.90\n`, { defaultCurrency: 'usd' });
    expect(productAt(rows, 1)).toMatchObject({ currency: 'USD', coupon: null, commissionRateBps: null, sales30d: null, online: true });
  });

  it('takes the currency written beside the price, and rejects one that contradicts the currency column', async () => {
    const rows = await parseText('id,title,price,currency\nP1,a,15.00 USD,\nP2,b,15.00 USD,CNY\n');
    expect(productAt(rows, 1)).toMatchObject({ priceMinor: 1500, currency: 'USD' });
    expect(rejections(rows)).toEqual([{ row: 2, rejected: 'price is in USD but currency is CNY' }]);
  });

  it('merges image and images, and rejects an image that is not an http(s) URL', async () => {
    const rows = await parseText(
      'id,title,price,image,images\nP1,a,1,https://i.cn/1.jpg,https://i.cn/2.jpg| https://i.cn/1.jpg \nP2,b,1,javascript:alert(1),\n',
    );
    expect(productAt(rows, 1).images).toEqual(['https://i.cn/1.jpg', 'https://i.cn/2.jpg']);
    expect(rejections(rows)).toEqual([{ row: 2, rejected: 'image must be an http(s) URL, got "javascript:alert(1)"' }]);
  });

  it('rejects rows whose fields contradict each other', async () => {
    const rows = await parseText(
      [
        'id,title,price,commission_rate,commission_rate_bps,coupon_amount,coupon_start,coupon_end,status,shop_score,sales_30d',
        'P1,a,10,12%,1300,,,,,,',
        'P2,b,10,,,2,2026-11-12,2026-11-11,,,',
        'P3,c,10,,,,,,下架,,',
        'P4,d,10,,,,,,,5.5,',
        'P5,e,10,,,,,,,,1.2万',
        'P6,f,0,,,,,,,,',
        'P7,g,10,12%,1200,0,,,OFFLINE,5,0',
      ].join('\n'),
    );
    expect(rejections(rows)).toEqual([
      { row: 1, rejected: 'commission_rate (1200 bps) and commission_rate_bps (1300) disagree' },
      { row: 2, rejected: 'coupon_end (2026-11-11T16:00:00.000Z) must be after coupon_start (2026-11-11T16:00:00.000Z)' },
      { row: 3, rejected: 'status must be online or offline, got "下架"' },
      { row: 4, rejected: 'shop_score must be between 0 and 5, got "5.5"' },
      { row: 5, rejected: 'sales_30d must be a whole number, got "1.2万"' },
      { row: 6, rejected: 'price must be greater than 0' },
    ]);
    expect(productAt(rows, 7)).toMatchObject({ commissionRateBps: 1200, coupon: null, online: false, shopScore: 500, sales30d: 0 });
  });

  it('throws before any row when a required column is missing from the header', async () => {
    const rows = parseCsv(inChunks('id,title,售价\nP1,a,1\n'));
    await expect(rows.next()).rejects.toThrow(new InvalidInput('malformed_file', 'CSV header is missing required column(s): price'));
  });

  it('throws on a header naming a column twice, and on a feed without a header', async () => {
    await expect(parseText('id,title,price,Price\n')).rejects.toThrow('CSV header names column "price" twice');
    await expect(parseText('')).rejects.toThrow('CSV feed has no header row');
    expect(await parseText(HEADER)).toEqual([]);
  });

  it('throws InvalidInput on a quote left open to the end of the file', async () => {
    await expect(parseText(`${HEADER}P1,a,1\nP2,"b,2\nP3,c,3\n`)).rejects.toThrow(/^CSV feed is malformed: Quote Not Closed/);
  });

  it('refuses a bad default currency before reading anything', async () => {
    await expect(parseText(HEADER, { defaultCurrency: 'yuan' })).rejects.toThrow('defaultCurrency is not a currency code');
  });
});

describe('parseCsv streaming', () => {
  const ROWS = 200_000;

  /** A feed generated as it is read: nothing holds more than one batch of it. */
  async function* generatedFeed(rows: number, progress: { rowsWritten: number }): AsyncGenerator<string> {
    yield 'id,title,price,commission_rate,category\n';
    let batch = '';
    for (let i = 1; i <= rows; i += 1) {
      batch += `SKU-${i},"九阳 豆浆机 ${i}, 免滤",${Math.trunc(i / 100)}.${String(i % 100).padStart(2, '0')},12.5%,家用电器>厨房电器\n`;
      if (i % 500 === 0) {
        progress.rowsWritten = i;
        yield batch;
        batch = '';
      }
    }
    progress.rowsWritten = rows;
    if (batch !== '') yield batch;
  }

  it('parses a 200,000-row feed in order while reading it, in bounded memory', async () => {
    const progress = { rowsWritten: 0 };
    const heap = new HeapWatch();
    let count = 0;
    let writtenAtFirstRow = -1;
    let sumOfPrices = 0;
    for await (const row of parseCsv(generatedFeed(ROWS, progress))) {
      count += 1;
      if (count === 1) writtenAtFirstRow = progress.rowsWritten;
      if (row.row !== count || !('product' in row)) throw new Error(`unexpected row ${JSON.stringify(row)}`);
      sumOfPrices += row.product.priceMinor;
      if (count % 10_000 === 0) heap.sample();
    }
    expect(count).toBe(ROWS);
    expect(sumOfPrices).toBe((ROWS * (ROWS + 1)) / 2);
    expect(writtenAtFirstRow).toBeLessThan(ROWS / 10);
    expect(heap.growthBytes).toBeLessThan(100 * 1024 * 1024);
  });

  it('passes on an error reading its input', async () => {
    async function* failing() {
      yield `${HEADER}P1,a,1\n`;
      throw new Error('disk read failed');
    }
    await expect(collect(parseCsv(failing()))).rejects.toThrow('disk read failed');
  });

  it('stops reading its input when the consumer stops', async () => {
    const progress = { rowsWritten: 0 };
    let taken = 0;
    for await (const _row of parseCsv(generatedFeed(ROWS, progress))) {
      taken += 1;
      if (taken === 10) break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(progress.rowsWritten).toBeLessThan(ROWS / 10);
  });
});
