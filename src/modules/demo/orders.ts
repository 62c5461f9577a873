import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { findUserById } from '../accounts/service.ts';
import { earningsOf } from '../ledger/service.ts';
import { advanceCommissions, settle } from '../ledger/settlement.ts';
import { createPayoutBatch, recordPayout, requestWithdrawal } from '../ledger/withdrawals.ts';
import type { OrderEvent, OrderStatus } from '../orders/model.ts';
import { ingestOrderEvents, type IncomingEvent } from '../orders/service.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** About one click in this many becomes an order (a realistic conversion for short-video traffic). */
const CLICKS_PER_ORDER = 30;
const UNATTRIBUTED_ORDERS = 4;

/**
 * Orders for the demo creators' clicks, in every status, through the same ingestion as real
 * webhooks; then a settlement ten days ago, a refund after it (a claw-back waiting for the next
 * run), a withdrawal paid in a payout batch and one waiting for the operator. Deterministic.
 */
export async function fillDemoOrders(db: Kysely<Database>, users: { operator: string; lin: string; chen: string }): Promise<{ orders: number; settled_lines: number }> {
  let seed = 11;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const now = Date.now();
  const clicks = await db
    .selectFrom('clicks')
    .innerJoin('products', 'products.id', 'clicks.product_id')
    .innerJoin('sources', 'sources.id', 'clicks.source_id')
    .select(['clicks.id', 'clicks.clicked_at', 'clicks.source_id', 'clicks.creator_id', 'products.source_product_id', 'products.final_price_minor', 'sources.platform'])
    .where('clicks.is_bot', '=', 0)
    .where('clicks.creator_id', 'in', [users.lin, users.chen])
    .orderBy('clicks.id')
    .execute();
  // Taobao gives no click id back: its orders name the creator's channel (relation_id), recorded as a relation position.
  const relationIds = await recordDemoRelations(db, clicks, [users.lin, users.chen], now);
  const bySource = new Map<string, IncomingEvent[]>();
  let orders = 0;
  let refundAfterSettlement: { sourceId: string; event: OrderEvent } | null = null;
  for (const click of clicks) {
    if (random() * CLICKS_PER_ORDER >= 1) continue;
    orders += 1;
    const quantity = random() < 0.8 ? 1 : 2;
    const paid = Date.parse(click.clicked_at) + Math.floor(5 + random() * 120) * MINUTE;
    const history = demoHistory(paid, now, random);
    const relationId = click.platform === 'taobao' ? (relationIds.get(click.creator_id) ?? null) : null;
    const base = { orderId: `DEMO${String(100_000 + orders)}`, currency: 'CNY', clickId: relationId === null ? click.id : null, subId: relationId };
    const line = { lineId: '1', productId: click.source_product_id, quantity, paidAmountMinor: Number(click.final_price_minor) * quantity, refundedAmountMinor: 0 };
    const events = history.map(({ status, at, refundShare }) => ({ ...base, status, occurredAt: new Date(at).toISOString(), lines: [{ ...line, refundedAmountMinor: Math.floor(line.paidAmountMinor * refundShare) }] }));
    bySource.set(click.source_id, [...(bySource.get(click.source_id) ?? []), ...events.map((event) => ({ event }))]);
    if (refundAfterSettlement === null && history.at(-1)?.status === 'completed' && paid < now - 25 * DAY) {
      refundAfterSettlement = { sourceId: click.source_id, event: { ...events.at(-1)!, status: 'refunded', occurredAt: new Date(now - 3 * DAY).toISOString() } };
    }
  }
  const someClick = clicks[0];
  for (let i = 0; someClick && i < UNATTRIBUTED_ORDERS; i++) {
    // An order whose click id is not one of ours (copied from elsewhere): the operator attributes it.
    const event: OrderEvent = { orderId: `DEMO-X${i + 1}`, status: 'paid', occurredAt: new Date(now - (i + 2) * DAY).toISOString(), currency: 'CNY', clickId: `clk_unknown${i}`, subId: null, lines: [{ lineId: '1', productId: someClick.source_product_id, quantity: 1, paidAmountMinor: Number(someClick.final_price_minor), refundedAmountMinor: 0 }] };
    bySource.set(someClick.source_id, [...(bySource.get(someClick.source_id) ?? []), { event }]);
  }

  // Ten days ago, before the settlement: the events that had happened by then.
  const tenDaysAgo = new Date(now - 10 * DAY);
  for (const [sourceId, events] of bySource) {
    await ingestOrderEvents(db, sourceId, events.filter((e) => Date.parse(e.event.occurredAt) <= tenDaysAgo.getTime()), { via: 'webhook', now: tenDaysAgo });
  }
  const settlement = await settle(db, { asOf: tenDaysAgo, startedBy: users.operator, now: () => tenDaysAgo });
  for (const [sourceId, events] of bySource) {
    await ingestOrderEvents(db, sourceId, events.filter((e) => Date.parse(e.event.occurredAt) > tenDaysAgo.getTime()), { via: 'webhook' });
    await ingestOrderEvents(db, sourceId, events, { via: 'webhook' }); // later redeliveries of old events change nothing
  }
  if (refundAfterSettlement) await ingestOrderEvents(db, refundAfterSettlement.sourceId, [{ event: refundAfterSettlement.event }], { via: 'webhook' });
  await advanceCommissions(db, new Date(now));

  const operator = (await findUserById(db, users.operator))!;
  const lin = (await findUserById(db, users.lin))!;
  const chen = (await findUserById(db, users.chen))!;
  const linAvailable = (await earningsOf(db, { kind: 'creator', id: lin.id }, 'CNY')).available;
  if (linAvailable >= 2000) {
    const paidOut = await requestWithdrawal(db, lin, { amountMinor: Math.floor(linAvailable / 200) * 100, payeeName: '林小鱼', payeeAccount: 'lin.xiaoyu@alipay.demo' }, new Date(now - 8 * DAY));
    await createPayoutBatch(db, operator, new Date(now - 7 * DAY));
    await recordPayout(db, operator, paidOut.id, { paid: true }, new Date(now - 6 * DAY));
  }
  const chenAvailable = (await earningsOf(db, { kind: 'creator', id: chen.id }, 'CNY')).available;
  if (chenAvailable >= 1000) await requestWithdrawal(db, chen, { amountMinor: Math.floor(chenAvailable / 100) * 100, payeeName: '陈默', payeeAccount: '6222 0000 1234 5678' }, new Date(now - DAY));
  return { orders: orders + UNATTRIBUTED_ORDERS, settled_lines: settlement.lines };
}

/** An order's statuses over time, by its age: old orders mostly completed, some refunded or cancelled; recent ones paid or shipped. */
function demoHistory(paid: number, now: number, random: () => number): { status: OrderStatus; at: number; refundShare: number }[] {
  const out: { status: OrderStatus; at: number; refundShare: number }[] = [{ status: 'paid', at: paid, refundShare: 0 }];
  const roll = random();
  if (roll < 0.05) return [...out, { status: 'cancelled', at: paid + 2 * 3_600_000, refundShare: 0 }];
  const shipped = paid + (0.5 + random()) * DAY;
  if (shipped > now) return out;
  out.push({ status: 'shipped', at: shipped, refundShare: 0 });
  const completed = shipped + (2 + random() * 4) * DAY;
  if (completed > now) return out;
  if (roll < 0.12) return [...out, { status: 'refunded', at: completed - DAY / 2, refundShare: 1 }];
  out.push({ status: 'completed', at: completed, refundShare: 0 });
  if (roll < 0.17 && completed + DAY < now) out.push({ status: 'completed', at: completed + DAY, refundShare: 0.5 });
  return out;
}

/**
 * The demo creators' 渠道关系 ids at the Taobao source their clicks went to (the Taobao links carry
 * them): creator id -> relation id.
 */
async function recordDemoRelations(db: Kysely<Database>, clicks: readonly { source_id: string; platform: string | null }[], creators: readonly string[], now: number): Promise<Map<string, string>> {
  const taobao = clicks.find((c) => c.platform === 'taobao')?.source_id;
  const out = new Map<string, string>();
  if (taobao === undefined) return out;
  for (const [i, creatorId] of creators.entries()) {
    const subId = String(2_712_345_601 + i);
    await db.insertInto('positions').values({ sub_id: subId, creator_id: creatorId, source_id: taobao, label: '淘宝渠道', created_at: new Date(now - 60 * DAY).toISOString(), kind: 'relation' }).execute();
    out.set(creatorId, subId);
  }
  return out;
}
