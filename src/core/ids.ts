import { randomFillSync } from 'node:crypto';
import { monotonicFactory, ulid } from 'ulid';

/** Every entity id is a type prefix and a ULID: readable in logs, sortable by creation time. */
export const ID_PREFIXES = {
  user: 'usr',
  session: 'ses',
  organisation: 'org',
  invitation: 'inv',
  membership: 'mem',
  source: 'src',
  audit: 'aud',
  product: 'prd',
  import: 'imp',
  item: 'itm',
  click: 'clk',
  binding: 'bnd',
  request: 'req',
  order: 'ord',
  orderEvent: 'oev',
  commission: 'com',
  targetedPlan: 'tpl',
  colonelActivity: 'act',
  settlement: 'stl',
  statement: 'stm',
  withdrawal: 'wdr',
  payoutBatch: 'pob',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * ulid's default source makes one crypto call per character (16 per id); ids are made on every
 * request (request id, click id), so random bytes are drawn 4 KiB at a time instead. Same
 * source (the OS CSPRNG), same distribution (a byte / 256, of which ulid uses the top 5 bits).
 */
const randomPool = new Uint8Array(4096);
let randomOffset = randomPool.length;
function pooledRandom(): number {
  if (randomOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  return randomPool[randomOffset++]! / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${nextUlid().toLowerCase()}`;
}

export function isIdOf(kind: IdKind, value: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-hjkmnp-tv-z]{26}$`).test(value);
}

/** An id whose time part is `atMs`: for history recorded after the fact (imports, the demo). */
export function newIdAt(kind: IdKind, atMs: number): string {
  return `${ID_PREFIXES[kind]}_${ulid(atMs).toLowerCase()}`;
}
