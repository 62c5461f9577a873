import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb, type TestDb } from '../db/testing.ts';
import { ledgerTick, lastScheduledSettlement } from './ledger.ts';

const schedule = { settlement_day_of_month: 1, settlement_hour: 2 };

describe('the monthly settlement instant', () => {
  it('is the 1st at 02:00 Asia/Shanghai of this month once it has come, else of last month', () => {
    expect(lastScheduledSettlement(new Date('2026-12-05T00:00:00Z'), schedule).toISOString()).toBe('2026-11-30T18:00:00.000Z');
    expect(lastScheduledSettlement(new Date('2026-11-30T17:59:59Z'), schedule).toISOString()).toBe('2026-10-31T18:00:00.000Z');
    expect(lastScheduledSettlement(new Date('2026-01-10T00:00:00Z'), { settlement_day_of_month: 20, settlement_hour: 0 }).toISOString()).toBe('2025-12-19T16:00:00.000Z');
  });
});

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
