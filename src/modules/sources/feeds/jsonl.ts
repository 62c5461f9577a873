import type { ParsedRow } from '../../pool/model.ts';
import { productFromColumns, type FieldLookup, type FieldValue } from './columns.ts';
import { linesOf, MAX_LINE_CHARS } from './lines.ts';
import { defaultCurrencyOf, type FeedOptions } from './options.ts';
import { FieldError, toParsedRow } from './rejection.ts';

/**
 * A JSON Lines feed: one object per line with the CSV columns as keys (docs/feeds.md). The row
 * number is the line number; blank lines are skipped but still counted, so a rejected row points
 * at the line an editor shows. A line that is not a JSON object is yielded rejected.
 */
export async function* parseJsonl(input: AsyncIterable<Buffer | string>, options: FeedOptions = {}): AsyncGenerator<ParsedRow> {
  const defaultCurrency = defaultCurrencyOf(options);
  let lineNumber = 0;
  for await (const line of linesOf(input)) {
    lineNumber += 1;
    if (line !== null && line.trim() === '') continue;
    yield toParsedRow(lineNumber, () => productFromColumns(lookupIn(objectOf(line)), defaultCurrency));
  }
}

function objectOf(line: string | null): Record<string, unknown> {
  if (line === null) throw new FieldError(`line is longer than ${MAX_LINE_CHARS} characters`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    if (err instanceof SyntaxError) throw new FieldError(`line is not valid JSON: ${err.message}`);
    throw err;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FieldError('line is not a JSON object');
  return value as Record<string, unknown>;
}

function lookupIn(object: Record<string, unknown>): FieldLookup {
  return (column) => (Object.hasOwn(object, column) ? fieldValue(object[column], column) : undefined);
}

/**
 * Strings as they are; a number by its JSON text as JavaScript prints it (59.9 -> "59.9", which the
 * decimal parser reads exactly); an array of strings for the list columns; null as absent.
 */
function fieldValue(value: unknown, column: string): FieldValue {
  if (value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new FieldError(`${column} is a JSON number too large to be read exactly; send it as a string`);
    }
    return String(value);
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw new FieldError(`${column} must be a string or a number`);
}
