import { FieldError } from './rejection.ts';

/**
 * Decimal text to integer minor units, by string arithmetic: "59.9" is 59 yuan and 90 fen, never
 * 59.9 x 100 (which is 5990.000000000001 in floating point).
 */
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const MINOR_DIGITS = 2;

/**
 * "59.90" -> 5990, "59.9" -> 5990, "7" -> 700. Trailing zeros past the second decimal are exact
 * and accepted ("59.900"); any other third decimal would need rounding and is refused, as are
 * signs, exponents, thousands separators and anything that is not a plain decimal.
 * Throws a FieldError (a RangeError) whose message starts with the field name.
 */
export function parseDecimalToMinor(text: string, field: string): number {
  const trimmed = text.trim();
  if (trimmed === '') throw new FieldError(`${field} is empty`);
  if (trimmed.startsWith('-')) throw new FieldError(`${field} must not be negative, got "${trimmed}"`);
  const m = DECIMAL.exec(trimmed);
  if (!m) throw new FieldError(`${field} is not a decimal number: "${trimmed}"`);
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > MINOR_DIGITS) {
    throw new FieldError(`${field} has more than ${MINOR_DIGITS} decimals: "${trimmed}"`);
  }
  const minor = BigInt(m[1]!) * 10n ** BigInt(MINOR_DIGITS) + BigInt(fraction.padEnd(MINOR_DIGITS, '0'));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new FieldError(`${field} is too large: "${trimmed}"`);
  return Number(minor);
}
