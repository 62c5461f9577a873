import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../core/errors.ts';
import { readOrderReport, type ReportFormat, type ReportItem } from './report.ts';

const HEADER = 'order_id,status,occurred_at,currency,click_id,sub_id,line_id,product_id,quantity,paid_amount,refunded_amount';

async function read(text: string, format: ReportFormat = 'csv'): Promise<ReportItem[]> {
  const items: ReportItem[] = [];
  for await (const item of readOrderReport(inChunks(text), format)) items.push(item);
  return items;
}

/** Bytes in small chunks, so that characters and lines split across them. */
async function* inChunks(text: string, size = 7): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

function rejections(items: ReportItem[]) {
  return items.flatMap((i) => ('rejected' in i ? [i] : []));
}

function events(items: ReportItem[]) {
  return items.flatMap((i) => ('event' in i ? [i] : []));
}

async function refusal(text: string, format: ReportFormat): Promise<InvalidInput> {
  const error = await read(text, format).catch((e: unknown) => e);
  if (!(error instanceof InvalidInput)) throw new Error(`expected InvalidInput, got ${String(error)}`);
  return error;
}

const TWO_LINES = csv(
  'M-1001,paid,2026-11-24T18:00:00+08:00,,clk_01jdq7e7b0d60f4a90c6b4db6f,creator-7,1,SKU-1,2,3980,',
  'M-1001,paid,2026-11-24T18:00:00+08:00,,clk_01jdq7e7b0d60f4a90c6b4db6f,creator-7,2,SKU-2,1,1990,0',
);

describe('readOrderReport on a CSV report', () => {
  it('makes consecutive rows of one order, status and time one event, in the webhook’s terms', async () => {
    expect(await read(TWO_LINES)).toEqual([
      {
        row: 1,
        rows: [1, 2],
        event: {
          orderId: 'M-1001',
          status: 'paid',
          occurredAt: '2026-11-24T10:00:00.000Z',
          currency: 'CNY',
          clickId: 'clk_01jdq7e7b0d60f4a90c6b4db6f',
          subId: 'creator-7',
          lines: [
            { lineId: '1', productId: 'SKU-1', quantity: 2, paidAmountMinor: 3980, refundedAmountMinor: 0 },
            { lineId: '2', productId: 'SKU-2', quantity: 1, paidAmountMinor: 1990, refundedAmountMinor: 0 },
          ],
        },
      },
    ]);
  });

  it('starts a new event when the status or the time changes', async () => {
    const items = await read(
      csv('M-1,paid,2026-11-24T10:00:00Z,,,,1,SKU-1,1,1000,', 'M-1,completed,2026-11-26T10:00:00Z,,,,1,SKU-1,1,1000,', 'M-1,refunded,2026-11-27T10:00:00Z,,,,1,SKU-1,1,1000,1000'),
    );
    expect(events(items).map((i) => [i.row, i.event.status, i.event.lines[0]!.refundedAmountMinor])).toEqual([
      [1, 'paid', 0],
      [2, 'completed', 0],
      [3, 'refunded', 1000],
    ]);
  });

  it('takes the header’s columns in any order and case, with only the required ones', async () => {
    const items = await read('Paid_Amount,QUANTITY,product_id,line_id,occurred_at,status,order_id\n990,1,P,1,2026-11-24T10:00:00Z,created,O-9\n');
    expect(events(items)[0]!.event).toEqual({
      orderId: 'O-9',
      status: 'created',
      occurredAt: '2026-11-24T10:00:00.000Z',
      currency: 'CNY',
      clickId: null,
      subId: null,
      lines: [{ lineId: '1', productId: 'P', quantity: 1, paidAmountMinor: 990, refundedAmountMinor: 0 }],
    });
  });

  it('rejects a bad row by its number with the field, and imports the rest of its event', async () => {
    const items = await read(
      csv(
        'M-2,paid,2026-11-24T10:00:00Z,,,,1,SKU-1,1,19.90,',
        'M-2,paid,2026-11-24T10:00:00Z,,,,2,,1,1000,',
        'M-2,paid,2026-11-24T10:00:00Z,,,,3,SKU-3,0,1000,',
        'M-2,paid,2026-11-24T10:00:00Z,,,,4,SKU-4,1,1000,2000',
        'M-2,paid,2026-11-24T10:00:00Z,USD,,,5,SKU-5,1,1000,',
        'M-2,paid,2026-11-24T10:00:00Z,,,,6,SKU-6,1,1000,',
        'M-2,paid,2026-11-24T10:00:00Z,,,,6,SKU-7,1,1000,',
        'M-2,paid,2026-11-24T10:00:00Z,,,,8,SKU-8',
      ),
    );
    expect(rejections(items)).toEqual([
      { row: 1, rejected: 'paid_amount must be an integer number of minor units (fen), not a decimal amount: 19.90' },
      { row: 2, rejected: 'product_id is required' },
      { row: 3, rejected: 'quantity must be at least 1' },
      { row: 4, rejected: 'refunded_amount must not exceed paid_amount' },
      { row: 5, rejected: 'currency USD differs from row 3 of the same event (CNY)' },
      { row: 7, rejected: 'line_id 6 repeats row 6 of the same event' },
      { row: 8, rejected: 'row has 8 fields but the header has 11' },
    ]);
    expect(events(items).map((i) => [i.rows, i.event.lines.map((l) => l.lineId)])).toEqual([[[6], ['6']]]);
    expect(items.map((i) => i.row)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rejects every row of an event whose order fields the webhook schema refuses', async () => {
    const items = await read(csv('M-3,shipping,2026-11-24T10:00:00Z,,,,1,SKU-1,1,1000,', 'M-3,shipping,2026-11-24T10:00:00Z,,,,2,SKU-2,1,1000,', 'M-4,paid,yesterday,,,,1,SKU-1,1,1000,'));
    expect(rejections(items)).toEqual([
      { row: 1, rejected: 'status must be one of created, paid, shipped, completed, refunded, cancelled' },
      { row: 2, rejected: 'status must be one of created, paid, shipped, completed, refunded, cancelled' },
      { row: 3, rejected: 'occurred_at must be an ISO-8601 date-time such as 2026-11-24T10:00:00Z' },
    ]);
  });

  it('refuses the whole file when a required column is missing from the header', async () => {
    const error = await refusal('order_id,status,occurred_at,line_id,product_id,quantity\nM-1,paid,2026-11-24T10:00:00Z,1,P,1\n', 'csv');
    expect(error).toMatchObject({ code: 'malformed_file', message: "CSV order report's header is missing required column(s): paid_amount" });
  });

  it('refuses the whole file on an unclosed quote', async () => {
    const error = await refusal(csv('M-1,paid,2026-11-24T10:00:00Z,,,,"1,SKU-1,1,1000,'), 'csv');
    expect(error.code).toBe('malformed_file');
  });
});

describe('readOrderReport on a JSON Lines report', () => {
  const jsonl = [
    JSON.stringify({ order_id: 'M-1001', status: 'paid', occurred_at: '2026-11-24T18:00:00+08:00', click_id: 'clk_01jdq7e7b0d60f4a90c6b4db6f', sub_id: 'creator-7', line_id: '1', product_id: 'SKU-1', quantity: 2, paid_amount: 3980 }),
    '',
    JSON.stringify({ order_id: 'M-1001', status: 'paid', occurred_at: '2026-11-24T18:00:00+08:00', currency: 'CNY', click_id: 'clk_01jdq7e7b0d60f4a90c6b4db6f', sub_id: 'creator-7', line_id: 2, product_id: 'SKU-2', quantity: '1', paid_amount: 1990, refunded_amount: 0 }),
  ].join('\r\n');

  it('reads the same events as the CSV report, numbering rows by line', async () => {
    const fromCsv = events(await read(TWO_LINES));
    const fromJsonl = events(await read(jsonl, 'jsonl'));
    expect(fromJsonl.map((i) => i.event)).toEqual(fromCsv.map((i) => i.event));
    expect(fromJsonl[0]!.rows).toEqual([1, 3]);
  });

  it('rejects a field no column can hold, and an amount in yuan', async () => {
    const items = await read(
      [
        JSON.stringify({ order_id: 'M-5', status: 'paid', occurred_at: '2026-11-24T10:00:00Z', line_id: '1', product_id: { id: 1 }, quantity: 1, paid_amount: 1000 }),
        JSON.stringify({ order_id: 'M-5', status: 'paid', occurred_at: '2026-11-24T10:00:00Z', line_id: '2', product_id: 'P', quantity: 1, paid_amount: 19.9 }),
      ].join('\n'),
      'jsonl',
    );
    expect(items).toEqual([
      { row: 1, rejected: 'product_id must be a string or a number' },
      { row: 2, rejected: 'paid_amount must be an integer number of minor units (fen), not a decimal amount: 19.9' },
    ]);
  });

  it('refuses the whole file on a line that is not JSON', async () => {
    const error = await refusal(`${jsonl}\n{"order_id": "M-2",\n`, 'jsonl');
    expect(error.code).toBe('malformed_file');
    expect(error.message).toMatch(/^JSONL order report line 4 is not valid JSON/);
  });
});
