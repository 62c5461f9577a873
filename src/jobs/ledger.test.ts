import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../db/testing.ts';
import { ledgerTick } from './ledger.ts';

describe.each(DIALECTS)('the ledger schedule on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(() => db.close());

  it('runs the monthly settlement once per scheduled instant, however often it ticks', async () => {
    const first = await ledgerTick(db.kysely, new Date('2026-12-05T00:00:00Z'));
    expect(first.settled).toBe(0);
    expect((await ledgerTick(db.kysely, new Date('2026-12-06T00:00:00Z'))).settled).toBeNull();
    expect((await ledgerTick(db.kysely, new Date('2027-01-01T00:00:00Z'))).settled).toBe(0);
    const runs = await db.kysely.selectFrom('settlement_runs').select('as_of').orderBy('as_of').execute();
    expect(runs.map((r) => r.as_of)).toEqual(['2026-11-30T18:00:00.000Z', '2026-12-31T18:00:00.000Z']);
  });
});
