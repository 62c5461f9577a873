import { createInterface } from 'node:readline';
import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { InvalidInput } from '../../core/errors.ts';

/**
 * The records of an order report (docs/orders-report.md), CSV or JSON Lines, read as they stream:
 * each one a row number and a lookup of its fields by column name. A broken file (not CSV, a
 * header without a required column, a line that is not a JSON object) throws InvalidInput
 * `malformed_file`; what a field holds is judged by the caller.
 */
export type ReportFormat = 'csv' | 'jsonl';

/** Text, a JSON number, or absent (an empty cell, a missing key, JSON null). */
export type ReportValue = string | number | undefined;

export interface ReportRecord {
  /** CSV: data records from 1 (the header is row 0). JSONL: the line number. */
  row: number;
  field(column: string): ReportValue;
  /** Why the record as a whole cannot be read (a CSV row with more or fewer fields than the header). */
  unreadable?: string;
}

/** A record larger than this is a broken file (typically an unclosed quote swallowing the rest). */
const MAX_RECORD_CHARS = 1 << 20;

/** `what` names the file in errors ("order report", "payout result"). */
export function reportRecords(input: AsyncIterable<Buffer | string>, format: ReportFormat, requiredColumns: readonly string[], what = 'order report'): AsyncGenerator<ReportRecord> {
  return format === 'csv' ? csvRecords(input, requiredColumns, what) : jsonlRecords(input);
}

async function* csvRecords(input: AsyncIterable<Buffer | string>, requiredColumns: readonly string[], what: string): AsyncGenerator<ReportRecord> {
  const records = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS });
  // Errors reach us through `records`, which pipeline destroys with them.
  pipeline(Readable.from(input, { objectMode: false }), records, () => {});
  let header: Map<string, number> | undefined;
  let width = 0;
  let row = 0;
  try {
    for await (const cells of records as AsyncIterable<string[]>) {
      if (header === undefined) {
        header = headerOf(cells, requiredColumns, what);
        width = cells.length;
        continue;
      }
      row += 1;
      const position = header;
      // A stray unquoted comma shifts every later column: refuse the row rather than misread it.
      const unreadable = cells.length === width ? {} : { unreadable: `row has ${cells.length} fields but the header has ${width}` };
      yield { row, field: (column) => cellValue(cells, position.get(column)), ...unreadable };
    }
  } catch (err) {
    if (err instanceof CsvError) throw new InvalidInput('malformed_file', `CSV ${what} is malformed: ${err.message}`);
    throw err;
  }
  if (header === undefined) throw new InvalidInput('malformed_file', `CSV ${what} has no header row`);
}

function headerOf(cells: string[], requiredColumns: readonly string[], what: string): Map<string, number> {
  const position = new Map<string, number>();
  cells.forEach((cell, i) => {
    const name = cell.trim().toLowerCase();
    if (name !== '' && position.has(name)) throw new InvalidInput('malformed_file', `CSV ${what}'s header names column "${name}" twice`);
    position.set(name, i);
  });
  const missing = requiredColumns.filter((name) => !position.has(name));
  if (missing.length > 0) throw new InvalidInput('malformed_file', `CSV ${what}'s header is missing required column(s): ${missing.join(', ')}`);
  return position;
}

function cellValue(cells: readonly string[], index: number | undefined): ReportValue {
  const cell = index === undefined ? undefined : cells[index]?.trim();
  return cell === '' ? undefined : cell;
}

/** Blank lines are skipped but counted, so a row number is the line an editor shows. */
async function* jsonlRecords(input: AsyncIterable<Buffer | string>): AsyncGenerator<ReportRecord> {
  const lines = createInterface({ input: Readable.from(input, { objectMode: false }), crlfDelay: Infinity });
  let row = 0;
  for await (const line of lines) {
    row += 1;
    const text = row === 1 ? line.replace(/^\uFEFF/, '') : line;
    if (text.trim() === '') continue;
    const object = jsonObjectOf(text, row);
    yield { row, field: (column) => jsonValue(object, column) };
  }
}

function jsonObjectOf(line: string, row: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    if (err instanceof SyntaxError) throw new InvalidInput('malformed_file', `JSONL order report line ${row} is not valid JSON: ${err.message}`);
    throw err;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInput('malformed_file', `JSONL order report line ${row} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** A field of a record that no column can hold (a JSON object, array or boolean): the row is rejected. */
export class UnreadableField extends RangeError {
  override name = 'UnreadableField';
}

/** Strings trimmed (empty is absent) and numbers as they are. */
function jsonValue(object: Record<string, unknown>, column: string): ReportValue {
  const value = Object.hasOwn(object, column) ? object[column] : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  throw new UnreadableField(`${column} must be a string or a number`);
}
