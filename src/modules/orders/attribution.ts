import type { StoredOrderState } from './model.ts';

/**
 * Which creator an order belongs to (DESIGN.md "Attribution"). Pure: the caller looks the click
 * and the position up (in batches, from storage) and passes lookups in.
 *
 * Rules, in order:
 * 1. The click id the source reported is the last click: the source overwrites it on every new
 *    click, as Taobao's and JD's last-click tracking do. It is valid when it is ours, was sent to
 *    the same source, happened no more than CLOCK_SKEW_MS after the order was placed, and no more
 *    than the attribution window (default 7 days) before it.
 * 2. A click on another product of the same source still credits the click's creator (the "same
 *    store halo"): Taobao Alimama pays on the shop's other goods bought after a promoted link, and
 *    JD Union reports such orders with traceType 2 (same shop) and 3 (cross shop) and pays them.
 *    The result says `sameProduct: false`; the rate is still the rate of the product bought.
 * 3. A click sent to another source is ignored (a source can only have seen clicks we sent it, so
 *    the id was copied or forged); an unknown, expired or later-than-order click is ignored as
 *    well. Each falls back to rule 4 and is named in the result.
 * 4. The sub id (the creator's position id at the source) credits its creator, if the position
 *    exists and belongs to this source (or to none in particular).
 * 5. Otherwise the order is unattributed, with every reason, for the operator to attribute by hand.
 * A click flagged as a bot or a repeat still counts: an order proves a shopper followed it.
 */
export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 7;
/** Click times are ours, order times the source's: allow their clocks to disagree this much. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface AttributableOrder {
  sourceId: string;
  /** When the shopper placed the order (OrderState.orderedAt), ISO-8601 UTC. */
  orderedAt: string;
  clickId: string | null;
  subId: string | null;
  productIds: readonly string[];
}

export interface ClickRecord {
  id: string;
  creatorId: string;
  productId: string;
  sourceId: string;
  clickedAt: string;
}

export interface Position {
  creatorId: string;
  /** The source the position id was issued for; null when it is valid at any source. */
  sourceId: string | null;
}

export type ClickRejection = 'no_click_id' | 'click_unknown' | 'click_other_source' | 'click_expired' | 'click_after_order';
export type PositionRejection = 'no_sub_id' | 'sub_id_unknown' | 'sub_id_other_source';

export type Attribution =
  | { kind: 'click'; creatorId: string; clickId: string; sameProduct: boolean }
  | { kind: 'sub_id'; creatorId: string; subId: string; clickRejected: ClickRejection }
  | { kind: 'unattributed'; clickRejected: ClickRejection; subIdRejected: PositionRejection };

export interface AttributionOptions {
  windowDays?: number;
  positionLookup: (subId: string) => Position | undefined;
}

export function attributableOrderOf(order: StoredOrderState, sourceId: string): AttributableOrder {
  return { sourceId, orderedAt: order.orderedAt, clickId: order.clickId, subId: order.subId, productIds: order.lines.map((l) => l.productId) };
}

export function attribute(order: AttributableOrder, clickLookup: (clickId: string) => ClickRecord | undefined, options: AttributionOptions): Attribution {
  const click = validClick(order, clickLookup, options.windowDays ?? DEFAULT_ATTRIBUTION_WINDOW_DAYS);
  if ('click' in click) {
    const { click: c } = click;
    return { kind: 'click', creatorId: c.creatorId, clickId: c.id, sameProduct: order.productIds.includes(c.productId) };
  }
  const position = validPosition(order, options.positionLookup);
  if ('position' in position) return { kind: 'sub_id', creatorId: position.position.creatorId, subId: order.subId!, clickRejected: click.rejected };
  return { kind: 'unattributed', clickRejected: click.rejected, subIdRejected: position.rejected };
}

function validClick(order: AttributableOrder, lookup: (clickId: string) => ClickRecord | undefined, windowDays: number): { click: ClickRecord } | { rejected: ClickRejection } {
  if (order.clickId === null) return { rejected: 'no_click_id' };
  const click = lookup(order.clickId);
  if (click === undefined) return { rejected: 'click_unknown' };
  if (click.sourceId !== order.sourceId) return { rejected: 'click_other_source' };
  const sinceClickMs = Date.parse(order.orderedAt) - Date.parse(click.clickedAt);
  if (sinceClickMs < -CLOCK_SKEW_MS) return { rejected: 'click_after_order' };
  if (sinceClickMs > windowDays * DAY_MS) return { rejected: 'click_expired' };
  return { click };
}

function validPosition(order: AttributableOrder, lookup: (subId: string) => Position | undefined): { position: Position } | { rejected: PositionRejection } {
  if (order.subId === null) return { rejected: 'no_sub_id' };
  const position = lookup(order.subId);
  if (position === undefined) return { rejected: 'sub_id_unknown' };
  if (position.sourceId !== null && position.sourceId !== order.sourceId) return { rejected: 'sub_id_other_source' };
  return { position };
}
