import { describe, expect, it } from 'vitest';
import { parseJsonl } from './jsonl.ts';
import { linesOf } from './lines.ts';
import { collect, fixture, inChunks, productAt, rejections } from './testing.ts';

async function parseText(text: string) {
  return collect(parseJsonl(inChunks(text)));
}

describe('parseJsonl on a merchant feed', () => {
  it('reads the CSV columns from each object, numbers and strings alike', async () => {
    const rows = await collect(parseJsonl(inChunks(fixture('merchant.jsonl'))));
    expect(productAt(rows, 1)).toEqual({
      sourceProductId: 'JD-2001',
      title: '绿联 65W 氮化镓充电器 三口快充',
      brand: '绿联',
      categoryPath: ['数码', '配件'],
      images: ['https://img.example.cn/2001.jpg'],
      priceMinor: 12_900,
      currency: 'CNY',
      coupon: null,
      commissionRateBps: 1500,
      sales30d: 8800,
      shopName: '绿联京东自营',
      shopScore: 495,
      productUrl: 'https://shop.example.cn/item/2001',
      online: true,
    });
    expect(productAt(rows, 2)).toMatchObject({
      priceMinor: 5990,
      categoryPath: ['食品饮料', '乳品'],
      coupon: { amountMinor: 1000, thresholdMinor: 5900, startsAt: null, endsAt: '2026-12-12T16:00:00.000Z' },
      commissionRateBps: 600,
      sales30d: 120_000,
    });
    expect(productAt(rows, 7)).toMatchObject({ priceMinor: 39_900, currency: 'CNY', online: false });
  });

  it('numbers rows by line, skipping blank lines, and rejects lines that are not objects', async () => {
    const rows = await collect(parseJsonl(inChunks(fixture('merchant.jsonl'), 7)));
    expect(rows.map((r) => r.row)).toEqual([1, 2, 4, 5, 6, 7]);
    expect(rejections(rows)).toEqual([
      { row: 4, rejected: expect.stringMatching(/^line is not valid JSON: /) },
      { row: 5, rejected: 'commission_rate must be a percentage such as "12.5%" (use commission_rate_bps for basis points), got "12.5"' },
      { row: 6, rejected: 'line is not a JSON object' },
    ]);
  });

  it('reads a JSON number price by its text: 59.9 is 5990 and 1.13 is 113', async () => {
    const rows = await parseText('{"id":"a","title":"a","price":59.9}\n{"id":"b","title":"b","price":1.13}\n{"id":"c","title":"c","price":59.999}');
    expect(productAt(rows, 1).priceMinor).toBe(5990);
    expect(productAt(rows, 2).priceMinor).toBe(113);
    expect(rejections(rows)).toEqual([{ row: 3, rejected: 'price has more than 2 decimals: "59.999"' }]);
  });

  it('rejects values of the wrong JSON type, and ids too large to be exact as numbers', async () => {
    const rows = await parseText(
      [
        '{"id":"a","title":"a","price":"1","status":true}',
        '{"id":12345678901234567890,"title":"b","price":"1"}',
        '{"id":10086,"title":"c","price":"1","images":"https://i.cn/1.jpg|https://i.cn/2.jpg"}',
      ].join('\n'),
    );
    expect(rejections(rows)).toEqual([
      { row: 1, rejected: 'status must be a string or a number' },
      { row: 2, rejected: 'id is a JSON number too large to be read exactly; send it as a string' },
    ]);
    expect(productAt(rows, 3)).toMatchObject({ sourceProductId: '10086', images: ['https://i.cn/1.jpg', 'https://i.cn/2.jpg'] });
  });

  it('reads CRLF lines after a BOM', async () => {
    const rows = await parseText('\uFEFF{"id":"a","title":"a","price":"1"}\r\n\r\n{"id":"b","title":"b","price":"2"}\r\n');
    expect(rows.map((r) => ('product' in r ? [r.row, r.product.priceMinor] : r))).toEqual([
      [1, 100],
      [3, 200],
    ]);
  });
});

describe('linesOf', () => {
  it('splits across chunks, including inside multi-byte characters', async () => {
    const lines = [];
    for await (const line of linesOf(inChunks('第一行\n第二行\r\n\n最后一行', 1))) lines.push(line);
    expect(lines).toEqual(['第一行', '第二行', '', '最后一行']);
  });

  it('gives null for a line over the limit, without keeping it, and goes on', async () => {
    const lines = [];
    for await (const line of linesOf(inChunks(`short\n${'x'.repeat(50)}\nnext\n${'y'.repeat(50)}`, 8), 20)) lines.push(line);
    expect(lines).toEqual(['short', null, 'next', null]);
  });

  it('yields the first row before reading the whole input', async () => {
    let linesWritten = 0;
    async function* endless() {
      for (;;) {
        linesWritten += 100;
        yield '{"id":"a","title":"a","price":"1"}\n'.repeat(100);
      }
    }
    for await (const row of parseJsonl(endless())) {
      expect(row.row).toBe(1);
      break;
    }
    expect(linesWritten).toBeLessThan(1000);
  });
});
