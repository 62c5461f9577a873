import type { ParsedRow, ProductInput } from '../../pool/model.ts';

/**
 * A field that cannot be read: the record it is in is rejected and the parser goes on. A
 * RangeError, so that callers of `parseDecimalToMinor` can treat it as one; the message starts
 * with the field's name.
 */
export class FieldError extends RangeError {
  override name = 'FieldError';
}

/** The record as a product, or as a rejected row with the reason; any other error is a bug and escapes. */
export function toParsedRow(row: number, build: () => ProductInput): ParsedRow {
  try {
    return { row, product: build() };
  } catch (err) {
    if (err instanceof FieldError) return { row, rejected: err.message };
    throw err;
  }
}
