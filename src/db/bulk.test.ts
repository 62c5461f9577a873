import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from './bulk.ts';
import { DIALECTS, openTestDb, type TestDb } from './testing.ts';
import { inTransaction } from './transaction.ts';

describe.each(DIALECTS)('bulk writes on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(dialect);
    const rows = Array.from({ length: 700 }, (_, i) => ({ source_id: i % 2 === 0 ? 'src_a' : 'src_b', webhook_id: `msg_${i}`, events: i, received_at: '2026-11-26T00:00:00.000Z' }));
    await inTransaction(db.kysely, (tx) => insertRows(tx, 'webhook_deliveries', rows));
  });
  afterAll(() => db.close());

  // 700 rows: 21 statements of 32 rows and 28 of one on SQLite, two of 500 and 200 on PostgreSQL.
  it('writes every row of a list longer than one statement, with the values given', async () => {
    const all = await db.kysely.selectFrom('webhook_deliveries').select(['webhook_id', 'events']).orderBy('events').execute();
    expect(all).toHaveLength(700);
    expect(all.every((r, i) => r.webhook_id === `msg_${i}` && Number(r.events) === i)).toBe(true);
  });
});
