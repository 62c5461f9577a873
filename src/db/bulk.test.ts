import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRows, selectRows, updateRows, updateWhereKeyIn } from './bulk.ts';
import { DIALECTS, openTestDb, type TestDb } from './testing.ts';
import { inTransaction } from './transaction.ts';

describe.each(DIALECTS)('bulk writes on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(dialect);
    const rows = Array.from({ length: 734 }, (_, i) => ({ source_id: i % 2 === 0 ? 'src_a' : 'src_b', webhook_id: `msg_${i}`, events: i, received_at: '2026-11-26T00:00:00.000Z' }));
    await inTransaction(db.kysely, (tx) => insertRows(tx, 'webhook_deliveries', rows));
  });
  afterAll(() => db.close());

  // 734 rows: 22 statements of 32 rows and 30 of one on SQLite; 7 of 100, 3 of 10 and 4 of one on PostgreSQL.
  it('writes every row of a list longer than one statement, with the values given', async () => {
    const all = await db.kysely.selectFrom('webhook_deliveries').select(['webhook_id', 'events']).orderBy('events').execute();
    expect(all).toHaveLength(734);
    expect(all.every((r, i) => r.webhook_id === `msg_${i}` && Number(r.events) === i)).toBe(true);
  });

  it('keeps every value as given: quotes, backslashes, braces, commas, newlines, the text NULL, CJK, emoji, empty text, null, large integers', async () => {
    const texts = ['a"b', 'c\\d', '{e,f}', 'NULL', 'line\nbreak\r\n', '佣金 ¥1,990.00', '🛍️ 好物', '', ' padded ', "it's"];
    const source = (id: string, name: string, secret: string, fee: number | null) => ({ id, kind: 'merchant' as const, name, platform: null, owner_user_id: null, webhook_secret: secret, default_commission_bps: fee, platform_fee_bps: null, enabled: 1, created_at: '2026-11-26T00:00:00.000Z' });
    await inTransaction(db.kysely, (tx) => insertRows(tx, 'sources', texts.map((text, i) => source(`src_t${i}`, text, `whsec_${text}`, i % 3 === 0 ? null : 9_000 + i))));
    const rows = await db.kysely.selectFrom('sources').select(['name', 'webhook_secret', 'platform', 'default_commission_bps']).where('id', 'like', 'src_t%').orderBy('id').execute();
    expect(rows.map((r) => [r.name, r.webhook_secret, r.platform, r.default_commission_bps === null ? null : Number(r.default_commission_bps)])).toEqual(
      texts.map((text, i) => [text, `whsec_${text}`, null, i % 3 === 0 ? null : 9_000 + i]),
    );
    const big = Number.MAX_SAFE_INTEGER;
    await inTransaction(db.kysely, (tx) => insertRows(tx, 'ledger_balances', [{ account: 'creator:big:settled', currency: 'CNY', balance_minor: big }, { account: 'creator:big:paid_out', currency: 'CNY', balance_minor: -big }]));
    const stored = await db.kysely.selectFrom('ledger_balances').select(['account', 'balance_minor']).where('account', 'like', 'creator:big:%').orderBy('account').execute();
    expect(stored.map((r) => [r.account, Number(r.balance_minor)])).toEqual([['creator:big:paid_out', -big], ['creator:big:settled', big]]);
  });

  it('stores values every row shares as given, beside the values that vary, in lists longer than one statement', async () => {
    // 70 rows: two statements of 32 and six rows alone on SQLite. `kind`, `platform` (null) and
    // `created_at` are the same in every row; `enabled` in all but the last, which is alone.
    const rows = Array.from({ length: 70 }, (_, i) => ({
      id: `src_s${String(i).padStart(2, '0')}`,
      kind: 'merchant' as const,
      name: `shop ${i}`,
      platform: null,
      owner_user_id: null,
      webhook_secret: `whsec_佣金"${i}`,
      default_commission_bps: i,
      platform_fee_bps: null,
      enabled: i === 69 ? 0 : 1,
      created_at: '2026-11-28T00:00:00.000Z',
    }));
    await inTransaction(db.kysely, (tx) => insertRows(tx, 'sources', rows));
    const stored = await db.kysely.selectFrom('sources').select(['id', 'kind', 'name', 'platform', 'webhook_secret', 'default_commission_bps', 'enabled', 'created_at']).where('id', 'like', 'src_s%').orderBy('id').execute();
    expect(stored.map((r) => ({ ...r, default_commission_bps: Number(r.default_commission_bps), enabled: Number(r.enabled) }))).toEqual(
      rows.map(({ id, kind, name, platform, webhook_secret, default_commission_bps, enabled, created_at }) => ({ id, kind, name, platform, webhook_secret, default_commission_bps, enabled, created_at })),
    );
  });

  it('rewrites only the listed columns of the rows named by their key, and no other row', async () => {
    const source = (id: string, name: string, enabled: number) => ({ id, kind: 'merchant' as const, name, platform: null, owner_user_id: null, webhook_secret: `whsec_${id}`, default_commission_bps: null, platform_fee_bps: null, enabled, created_at: '2026-11-26T00:00:00.000Z' });
    await inTransaction(db.kysely, (tx) => insertRows(tx, 'sources', [source('src_u1', 'one', 1), source('src_u2', 'two', 1), source('src_u3', 'three', 1)]));
    // The rows carry other values for columns not listed: those must stay as they were.
    await inTransaction(db.kysely, (tx) => updateRows(tx, 'sources', 'id', ['name'], [source('src_u1', 'ONE', 0), source('src_u3', 'THREE', 0)]));
    const rows = await db.kysely.selectFrom('sources').select(['id', 'name', 'enabled']).where('id', 'in', ['src_u1', 'src_u2', 'src_u3']).orderBy('id').execute();
    expect(rows.map((r) => ({ ...r, enabled: Number(r.enabled) }))).toEqual([
      { id: 'src_u1', name: 'ONE', enabled: 1 },
      { id: 'src_u2', name: 'two', enabled: 1 },
      { id: 'src_u3', name: 'THREE', enabled: 1 },
    ]);
  });

  it('appends to the columns listed to append to, beside rewriting the others', async () => {
    const source = (id: string, name: string, secret: string) => ({ id, kind: 'merchant' as const, name, platform: null, owner_user_id: null, webhook_secret: secret, default_commission_bps: null, platform_fee_bps: null, enabled: 1, created_at: '2026-11-26T00:00:00.000Z' });
    await inTransaction(db.kysely, (tx) => insertRows(tx, 'sources', [source('src_a1', 'one', 'a'), source('src_a2', 'two', 'b'), source('src_a3', 'three', 'c')]));
    await inTransaction(db.kysely, (tx) => updateRows(tx, 'sources', 'id', ['name'], [source('src_a1', 'ONE', '+1\n'), source('src_a3', 'THREE', '+3')], ['webhook_secret']));
    await inTransaction(db.kysely, (tx) => updateRows(tx, 'sources', 'id', [], [source('src_a1', 'ignored', '+again')], ['webhook_secret']));
    const rows = await db.kysely.selectFrom('sources').select(['id', 'name', 'webhook_secret']).where('id', 'in', ['src_a1', 'src_a2', 'src_a3']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'src_a1', name: 'ONE', webhook_secret: 'a+1\n+again' },
      { id: 'src_a2', name: 'two', webhook_secret: 'b' },
      { id: 'src_a3', name: 'THREE', webhook_secret: 'c+3' },
    ]);
  });

  // 250 keys: two full runs of 100 and one padded with nulls on SQLite; one statement on PostgreSQL.
  it('sets the values given on the rows named, only where the extra columns match, and counts them', async () => {
    const keys = Array.from({ length: 250 }, (_, i) => `msg_${i * 2}`); // the even ones: all of src_a
    const changed = await inTransaction(db.kysely, (tx) => updateWhereKeyIn(tx, 'webhook_deliveries', 'webhook_id', [...keys, 'msg_missing'], { received_at: '2026-12-01T00:00:00.000Z' }, { source_id: 'src_a' }));
    expect(changed).toBe(250);
    // src_b's rows share no key with src_a, and a key under another source is not touched by `only`.
    const skipped = await inTransaction(db.kysely, (tx) => updateWhereKeyIn(tx, 'webhook_deliveries', 'webhook_id', ['msg_1', 'msg_3'], { received_at: '2026-12-02T00:00:00.000Z' }, { source_id: 'src_a' }));
    expect(skipped).toBe(0);
    const byDay = await db.kysely.selectFrom('webhook_deliveries').select(['received_at', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('received_at').orderBy('received_at').execute();
    expect(byDay.map((r) => [r.received_at, Number(r.n)])).toEqual([
      ['2026-11-26T00:00:00.000Z', 484],
      ['2026-12-01T00:00:00.000Z', 250],
    ]);
  });

  it('reads the same rows as Kysely does, column for column', async () => {
    const query = db.kysely.selectFrom('webhook_deliveries').select(['webhook_id', 'source_id', 'events']).where('events', '<', 40).orderBy('events');
    const viaKysely = await query.execute();
    const viaBulk = await inTransaction(db.kysely, (tx) => selectRows(tx, tx.selectFrom('webhook_deliveries').select(['webhook_id', 'source_id', 'events']).where('events', '<', 40).orderBy('events')));
    expect(viaBulk).toHaveLength(40);
    expect(viaBulk).toEqual(viaKysely);
  });
});

// PostgreSQL only: SQLite keeps its statements prepared by better-sqlite3 (`prepared` in bulk.ts).
describe.each(DIALECTS.filter((d) => d === 'postgres'))('multi-row inserts on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(() => db.close());

  it('prepares each width of a multi-row insert once on a connection, by name', async () => {
    const prepared = await inTransaction(db.kysely, async (tx) => {
      const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ source_id: 'src_p', webhook_id: `msg_p${from + i}`, events: from + i, received_at: '2026-11-26T00:00:00.000Z' }));
      await insertRows(tx, 'webhook_deliveries', rows(0, 111));
      await insertRows(tx, 'webhook_deliveries', rows(111, 111));
      const { rows: statements } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements where statement like 'insert into "webhook_deliveries"%' order by length(statement) desc`.execute(tx);
      await sql`delete from webhook_deliveries where source_id = 'src_p'`.execute(tx);
      return statements;
    });
    // Widths 100, 10 and 1, each once however many times it ran.
    expect(prepared.map((p) => (p.statement.match(/\(\$/g) ?? []).length)).toEqual([100, 10, 1]);
    expect(prepared.every((p) => p.name.startsWith('v_'))).toBe(true);
  });
});

// better-sqlite3 takes an argument that is a list or a plain object for a list of values or named
// parameters: the values go as arguments only when none is one (`asArguments`), so such a value
// is refused as SQLite refuses it, not bound as something else. (PostgreSQL's driver serialises both.)
describe('bulk writes on sqlite: a value that is a list or an object', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb('sqlite');
  });
  afterAll(() => db.close());

  const source = (i: number, name: unknown) => ({ id: `src_v${String(i).padStart(2, '0')}`, kind: 'merchant' as const, name: name as string, platform: null, owner_user_id: null, webhook_secret: `whsec_${i}`, default_commission_bps: i, platform_fee_bps: null, enabled: 1, created_at: '2026-11-28T00:00:00.000Z' });
  const stored = () => db.kysely.selectFrom('sources').select('id').where('id', 'like', 'src_v%').execute();

  it('is refused in a statement of many rows, in one of a single row, and in an update, and nothing of the list is written', async () => {
    // 40 rows: one statement of 32, then eight alone.
    const withList = Array.from({ length: 40 }, (_, i) => source(i, i === 3 ? ['shop', 'three'] : `shop ${i}`));
    await expect(inTransaction(db.kysely, (tx) => insertRows(tx, 'sources', withList))).rejects.toThrow(/can only bind/);
    const withObject = Array.from({ length: 40 }, (_, i) => source(i, i === 39 ? { name: 'shop' } : `shop ${i}`));
    await expect(inTransaction(db.kysely, (tx) => insertRows(tx, 'sources', withObject))).rejects.toThrow(/can only bind/);
    expect(await stored()).toEqual([]);
    await inTransaction(db.kysely, (tx) => insertRows(tx, 'sources', [source(1, 'shop 1')]));
    await expect(inTransaction(db.kysely, (tx) => updateRows(tx, 'sources', 'id', ['name'], [source(1, ['a', 'b'])]))).rejects.toThrow(/can only bind/);
    expect(await db.kysely.selectFrom('sources').select('name').where('id', '=', 'src_v01').execute()).toEqual([{ name: 'shop 1' }]);
  });
});
