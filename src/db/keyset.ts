import { InvalidInput } from '../core/errors.ts';

/**
 * A list's position as an opaque cursor: the last row's sort instant and id (the tie-break), so
 * the next page starts after it however many rows came in meanwhile.
 */
export function encodeKeyset(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

/** The instant and id of a cursor `encodeKeyset` made; anything else is refused as bad input. */
export function decodeKeyset(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch {
    // fall through to the error below
  }
  throw new InvalidInput('invalid_cursor', 'cursor is not one this API returned');
}
