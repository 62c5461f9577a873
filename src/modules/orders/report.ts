import type { z } from 'zod';
import { orderEventSchema, type OrderEvent } from './model.ts';
import { reportRecords, UnreadableField, type ReportFormat, type ReportRecord, type ReportValue } from './report-records.ts';

export type { ReportFormat } from './report-records.ts';

/**
 * An order report (`vitrine import-orders --format csv|jsonl`, docs/orders-report.md) read into
 * the same events the order webhook takes: one row per order line, and consecutive rows of the
 * same order_id, status and occurred_at form one event, checked by the webhook's own schema.
 * A bad row is yielded rejected and the rest go on; a line that the schema refuses takes only its
 * row out of the event, a refused order field (status, occurred_at, currency…) every row of it.
 */
export const REPORT_REQUIRED_COLUMNS = ['order_id', 'status', 'occurred_at', 'line_id', 'product_id', 'quantity', 'paid_amount'] as const;
export const DEFAULT_REPORT_CURRENCY = 'CNY';

export type ReportItem =
  /** `row` is the event's first row; `rows` all of them. */
  | { row: number; rows: number[]; event: OrderEvent }
  | { row: number; rejected: string };

interface ReportRow {
  row: number;
  order: { order_id: string; status: string; occurred_at: string; currency: string; click_id: string | null; sub_id: string | null };
  line: { line_id: string; product_id: string; quantity: number; paid_amount: number; refunded_amount: number };
}

/** Items in row order, each event once its last row has been read. Throws InvalidInput `malformed_file` for a broken file. */
export async function* readOrderReport(input: AsyncIterable<Buffer | string>, format: ReportFormat): AsyncGenerator<ReportItem> {
  let group: ReportRow[] = [];
  let rejected: ReportItem[] = [];
  for await (const record of reportRecords(input, format, REPORT_REQUIRED_COLUMNS)) {
    const read = reportRowOf(record);
    if (typeof read === 'string') {
      rejected.push({ row: record.row, rejected: read });
      continue;
    }
    if (group.length > 0 && !sameEvent(group[0]!, read)) {
      yield* inRowOrder([...rejected, ...eventOf(group)]);
      [group, rejected] = [[], []];
    }
    const conflict = conflictWithGroup(group, read);
    if (conflict === null) group.push(read);
    else rejected.push({ row: read.row, rejected: conflict });
  }
  yield* inRowOrder([...rejected, ...eventOf(group)]);
}

function inRowOrder(items: ReportItem[]): ReportItem[] {
  return items.sort((a, b) => a.row - b.row);
}

function sameEvent(a: ReportRow, b: ReportRow): boolean {
  return a.order.order_id === b.order.order_id && a.order.status === b.order.status && a.order.occurred_at === b.order.occurred_at;
}

/** The order's other fields must agree within an event, and a line may appear in it once. */
function conflictWithGroup(group: readonly ReportRow[], row: ReportRow): string | null {
  const first = group[0];
  if (first === undefined) return null;
  for (const column of ['currency', 'click_id', 'sub_id'] as const) {
    if (row.order[column] !== first.order[column]) {
      return `${column} ${row.order[column] ?? '(empty)'} differs from row ${first.row} of the same event (${first.order[column] ?? 'empty'})`;
    }
  }
  const same = group.find((r) => r.line.line_id === row.line.line_id);
  return same === undefined ? null : `line_id ${row.line.line_id} repeats row ${same.row} of the same event`;
}

/** The group as one event, leaving out rows whose line the schema refuses. */
function eventOf(group: readonly ReportRow[]): ReportItem[] {
  const rejected: ReportItem[] = [];
  let rows = group;
  while (rows.length > 0) {
    const parsed = orderEventSchema.safeParse({ type: 'order.updated', data: { ...rows[0]!.order, lines: rows.map((r) => r.line) } });
    if (parsed.success) return [...rejected, { row: rows[0]!.row, rows: rows.map((r) => r.row), event: parsed.data }];
    const byLine = lineIssues(parsed.error.issues);
    if (byLine === null) return [...rejected, ...rows.map((r) => ({ row: r.row, rejected: parsed.error.issues[0]!.message }))];
    rejected.push(...[...byLine].map(([index, message]) => ({ row: rows[index]!.row, rejected: message })));
    rows = rows.filter((_, index) => !byLine.has(index));
  }
  return rejected;
}

/** The first message for each refused line (by its index), or null when an issue is not about one line. */
function lineIssues(issues: readonly z.core.$ZodIssue[]): Map<number, string> | null {
  const byLine = new Map<number, string>();
  for (const issue of issues) {
    const [data, lines, index] = issue.path;
    if (data !== 'data' || lines !== 'lines' || typeof index !== 'number') return null;
    if (!byLine.has(index)) byLine.set(index, issue.message);
  }
  return byLine;
}

class RowRejected extends RangeError {}

function reportRowOf(record: ReportRecord): ReportRow | string {
  if (record.unreadable !== undefined) return record.unreadable;
  const field = (column: string) => record.field(column);
  try {
    return {
      row: record.row,
      order: {
        order_id: required(field('order_id'), 'order_id'),
        status: required(field('status'), 'status'),
        occurred_at: required(field('occurred_at'), 'occurred_at'),
        currency: (optional(field('currency'), 'currency') ?? DEFAULT_REPORT_CURRENCY).toUpperCase(),
        click_id: optional(field('click_id'), 'click_id'),
        sub_id: optional(field('sub_id'), 'sub_id'),
      },
      line: {
        line_id: required(field('line_id'), 'line_id'),
        product_id: required(field('product_id'), 'product_id'),
        quantity: wholeNumber(field('quantity'), 'quantity'),
        paid_amount: minorUnits(field('paid_amount'), 'paid_amount'),
        refunded_amount: field('refunded_amount') === undefined ? 0 : minorUnits(field('refunded_amount'), 'refunded_amount'),
      },
    };
  } catch (err) {
    if (err instanceof RowRejected || err instanceof UnreadableField) return err.message;
    throw err;
  }
}

function required(value: ReportValue, column: string): string {
  const text = optional(value, column);
  if (text === null) throw new RowRejected(`${column} is required`);
  return text;
}

/** Text; an id written as a JSON number is read as its digits when a number holds it exactly. */
function optional(value: ReportValue, column: string): string | null {
  if (value === undefined) return null;
  if (typeof value === 'string') return value;
  if (!Number.isSafeInteger(value)) throw new RowRejected(`${column} is a number that cannot be read exactly (${value}); write it as a string`);
  return String(value);
}

function wholeNumber(value: ReportValue, column: string): number {
  if (value === undefined) throw new RowRejected(`${column} is required`);
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new RowRejected(`${column} must be a whole number, got ${JSON.stringify(value)}`);
  return n;
}

/** Amounts are integers in minor units (fen): "19.90" is refused rather than guessed to be yuan. */
function minorUnits(value: ReportValue, column: string): number {
  if (typeof value === 'string' && /^-?\d+\.\d*$/.test(value)) {
    throw new RowRejected(`${column} must be an integer number of minor units (fen), not a decimal amount: ${value}`);
  }
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new RowRejected(`${column} must be an integer number of minor units (fen), not a decimal amount: ${value}`);
  }
  return wholeNumber(value, column);
}
