import { createHash } from 'node:crypto';

/**
 * Statement texts that PostgreSQL connections keep prepared (named), by text. A multi-row
 * statement of a fixed width (`db/bulk.ts`) is parsed and planned once per connection instead of
 * on every run; a text not registered here runs unnamed, as Kysely sends it.
 */
const names = new Map<string, string>();

/** Registers `text` to be prepared on each connection that runs it; returns the text. */
export function preparedText(text: string): string {
  if (!names.has(text)) names.set(text, `v_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`);
  return text;
}

/** The name `text` is prepared under, if it was registered. */
export function preparedNameOf(text: string): string | undefined {
  return names.get(text);
}
