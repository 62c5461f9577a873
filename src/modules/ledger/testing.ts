import { sql, type Insertable } from 'kysely';
import { insertRows } from '../../db/bulk.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { CommissionsTable, OrdersTable } from '../../db/schema.ts';
import type { TestDb } from '../../db/testing.ts';
import { inTransaction } from '../../db/transaction.ts';
import { seedSource } from '../links/testing.ts';

const DAY = 86_400_000;

/**
 * 40 completed lines of three creators, half with an organisation and some with a colonel: 36 due
 * (confirmed or settleable), two whose window ends in the future, one still estimated, one reversed.
 */
export async function seedLines(db: TestDb): Promise<{ due: CommissionsTable[]; notDue: string[] }> {
  const due: CommissionsTable[] = [];
  const notDue: string[] = [];
  const { sourceId } = await seedSource(db.kysely, { kind: 'platform', platform: 'jd' }, [{ id: 'P1', url: 'https://item.jd.com/1.html' }]);
  const at = new Date(Date.now() - 20 * DAY).toISOString();
  const orders: Insertable<OrdersTable>[] = [];
  const lines: CommissionsTable[] = [];
  for (let i = 0; i < 40; i++) {
    const orderId = `ord_settle${String(i).padStart(3, '0')}`;
    orders.push({ id: orderId, source_id: sourceId, source_order_id: `S${i}`, currency: 'CNY', status: 'completed', ordered_at: at, paid_at: at, completed_at: at, click_id: null, sub_id: null, paid_amount_minor: 1000 + i * 37, refunded_amount_minor: 0, state: '{}', creator_id: `usr_c${i % 3}`, attribution: 'click', attribution_detail: '{}', created_at: at, updated_at: at, events: '' });
    const line: CommissionsTable = {
      id: `com_settle${String(i).padStart(3, '0')}`, order_id: orderId, line_id: '1', source_id: sourceId, source_product_id: 'P1', product_id: null, currency: 'CNY', creator_id: `usr_c${i % 3}`,
      organisation_id: i % 2 === 0 ? 'org_one' : null, organisation_share_bps: i % 2 === 0 ? 1500 : null, colonel_id: i % 5 === 0 ? 'usr_colonel' : null, colonel_share_bps: i % 5 === 0 ? 2000 : null,
      platform_fee_bps: 1000, rate_bps: 1000 + (i % 4) * 250, plan_kind: i % 5 === 0 ? 'colonel' : 'open', plan_id: null, paid_amount_minor: 1000 + i * 37, refunded_amount_minor: i % 7 === 0 ? 100 : 0,
      commission_minor: 0, creator_amount_minor: 0, organisation_amount_minor: 0,
      // 36 lines due; two whose window ends in the future, one still estimated, one reversed.
      status: i === 36 ? 'estimated' : i === 37 ? 'reversed' : i % 2 === 0 ? 'confirmed' : 'settleable',
      paid_at: at, settleable_at: i === 38 || i === 39 ? new Date(Date.now() + DAY).toISOString() : new Date(Date.now() - DAY).toISOString(), settlement_id: null, as_settled: null, created_at: at, updated_at: at,
    };
    lines.push(line);
    if (i < 36) due.push(line);
    else notDue.push(line.id);
  }
  await inTransaction(db.kysely, async (tx) => {
    await insertRows(tx, 'orders', orders);
    await insertRows(tx, 'commissions', lines);
  });
  return { due, notDue };
}

/**
 * Makes the database refuse to settle a line (`lineId`, or any), as a full disk or a broken
 * constraint would: the batch that tries fails with "refused for the test". Returns the undo.
 */
export async function refuseSettling(db: TestDb, lineId?: string): Promise<() => Promise<void>> {
  const which = lineId === undefined ? '' : `new.id = '${lineId}' and `;
  if (!isPostgres(db.kysely)) {
    await sql.raw(`create trigger refuse_settling before update of status on commissions when ${which}new.status = 'settled' begin select raise(abort, 'refused for the test'); end`).execute(db.kysely);
    return async () => void (await sql`drop trigger refuse_settling`.execute(db.kysely));
  }
  await sql.raw(`create function refuse_settling() returns trigger language plpgsql as $$ begin if ${which}new.status = 'settled' then raise exception 'refused for the test'; end if; return new; end $$`).execute(db.kysely);
  await sql`create trigger refuse_settling before update on commissions for each row execute function refuse_settling()`.execute(db.kysely);
  return async () => {
    await sql`drop trigger refuse_settling on commissions`.execute(db.kysely);
    await sql`drop function refuse_settling()`.execute(db.kysely);
  };
}
