import { Readable, pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { InvalidInput } from '../../../core/errors.ts';
import type { ParsedRow, ProductInput } from '../../pool/model.ts';
import { productFromColumns, REQUIRED_COLUMNS } from './columns.ts';
import { defaultCurrencyOf, type FeedOptions } from './options.ts';
import { FieldError, toParsedRow } from './rejection.ts';

/**
 * A record larger than this is a broken file (typically an unclosed quote swallowing the rest of
 * it), refused before it can fill memory.
 */
const MAX_RECORD_CHARS = 1 << 20;

interface Header {
  width: number;
  position: Map<string, number>;
}

/**
 * A CSV feed with a header row (docs/feeds.md), UTF-8 with or without BOM. Row numbers count data
 * records from 1 (the header is row 0; a quoted field spanning lines is still one row; blank lines
 * are not rows). A malformed file or header throws InvalidInput; a bad row is yielded rejected.
 */
export async function* parseCsv(input: AsyncIterable<Buffer | string>, options: FeedOptions = {}): AsyncGenerator<ParsedRow> {
  const defaultCurrency = defaultCurrencyOf(options);
  const records = parse({
    bom: true,
    relax_column_count: true,
    // A bare quote inside an unquoted field ('6.1" 屏') is kept as text.
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  // Errors reach us through `records`, which pipeline destroys with them.
  pipeline(Readable.from(input, { objectMode: false }), records, () => {});
  let header: Header | undefined;
  let row = 0;
  try {
    for await (const cells of records as AsyncIterable<string[]>) {
      if (header === undefined) {
        header = headerOf(cells);
        continue;
      }
      row += 1;
      const columns = header;
      yield toParsedRow(row, () => productOfCells(cells, columns, defaultCurrency));
    }
  } catch (err) {
    if (err instanceof CsvError) throw new InvalidInput('malformed_file', `CSV feed is malformed: ${err.message}`);
    throw err;
  }
  if (header === undefined) throw new InvalidInput('malformed_file', 'CSV feed has no header row');
}

function headerOf(cells: string[]): Header {
  const names = cells.map((cell) => cell.trim().toLowerCase());
  const position = new Map<string, number>();
  names.forEach((name, i) => {
    if (name !== '' && position.has(name)) throw new InvalidInput('malformed_file', `CSV header names column "${name}" twice`);
    position.set(name, i);
  });
  const missing = REQUIRED_COLUMNS.filter((name) => !position.has(name));
  if (missing.length > 0) {
    throw new InvalidInput('malformed_file', `CSV header is missing required column(s): ${missing.join(', ')}`);
  }
  return { width: cells.length, position };
}

function productOfCells(cells: string[], header: Header, defaultCurrency: string): ProductInput {
  if (cells.length !== header.width) {
    // A stray unquoted comma shifts every later column: refuse rather than read price from the title.
    throw new FieldError(`row has ${cells.length} fields but the header has ${header.width}`);
  }
  return productFromColumns((column) => {
    const i = header.position.get(column);
    return i === undefined ? undefined : cells[i];
  }, defaultCurrency);
}
