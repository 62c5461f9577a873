import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributableOrderOf, attribute, CLOCK_SKEW_MS, type AttributableOrder, type ClickRecord, type Position } from './attribution.ts';
import { applyEvent } from './state-machine.ts';

const DAY = 86_400_000;
const ORDERED = Date.UTC(2026, 10, 24, 10);
const iso = (ms: number) => new Date(ms).toISOString();
const click = (over: Partial<ClickRecord> = {}): ClickRecord => ({ id: 'clk_1', creatorId: 'creator-a', productId: 'p-1', sourceId: 'src-jd', clickedAt: iso(ORDERED - DAY), ...over });
const order = (over: Partial<AttributableOrder> = {}): AttributableOrder => ({ sourceId: 'src-jd', orderedAt: iso(ORDERED), clickId: 'clk_1', subId: 'pos_b', productIds: ['p-1'], ...over });
const positions: Record<string, Position> = { pos_b: { creatorId: 'creator-b', sourceId: 'src-jd' }, pos_any: { creatorId: 'creator-c', sourceId: null } };
const positionLookup = (subId: string) => positions[subId];
const only = (c: ClickRecord) => (id: string) => (id === c.id ? c : undefined);

describe('attribution', () => {
  it('credits the creator of the click the order carries, within the window', () => {
    expect(attribute(order(), only(click()), { positionLookup })).toEqual({ kind: 'click', creatorId: 'creator-a', clickId: 'clk_1', sameProduct: true });
  });

  it('credits a click on another product of the same source to its creator (same-store halo), flagged', () => {
    expect(attribute(order({ productIds: ['p-9'] }), only(click()), { positionLookup })).toMatchObject({ kind: 'click', creatorId: 'creator-a', sameProduct: false });
  });

  it('counts a click exactly 7 days old and falls back to the sub id for one a millisecond older', () => {
    expect(attribute(order(), only(click({ clickedAt: iso(ORDERED - 7 * DAY) })), { positionLookup }).kind).toBe('click');
    expect(attribute(order(), only(click({ clickedAt: iso(ORDERED - 7 * DAY - 1) })), { positionLookup })).toEqual({ kind: 'sub_id', creatorId: 'creator-b', subId: 'pos_b', clickRejected: 'click_expired' });
  });

  it('uses the configured window', () => {
    const tenDaysOld = only(click({ clickedAt: iso(ORDERED - 10 * DAY) }));
    expect(attribute(order(), tenDaysOld, { positionLookup, windowDays: 15 }).kind).toBe('click');
    expect(attribute(order(), tenDaysOld, { positionLookup, windowDays: 7 }).kind).toBe('sub_id');
  });

  it('ignores a click sent to another source and falls back to the sub id', () => {
    expect(attribute(order(), only(click({ sourceId: 'src-pdd' })), { positionLookup })).toMatchObject({ kind: 'sub_id', clickRejected: 'click_other_source' });
  });

  it('ignores a click made after the order, beyond the allowed clock skew', () => {
    expect(attribute(order(), only(click({ clickedAt: iso(ORDERED + CLOCK_SKEW_MS) })), { positionLookup }).kind).toBe('click');
    expect(attribute(order(), only(click({ clickedAt: iso(ORDERED + CLOCK_SKEW_MS + 1) })), { positionLookup })).toMatchObject({ kind: 'sub_id', clickRejected: 'click_after_order' });
  });

  it('falls back to the sub id for an unknown click id or none', () => {
    expect(attribute(order({ clickId: 'clk_forged' }), only(click()), { positionLookup })).toMatchObject({ kind: 'sub_id', clickRejected: 'click_unknown' });
    expect(attribute(order({ clickId: null, subId: 'pos_any' }), only(click()), { positionLookup })).toEqual({ kind: 'sub_id', creatorId: 'creator-c', subId: 'pos_any', clickRejected: 'no_click_id' });
  });

  it('leaves the order unattributed, with both reasons, when neither the click nor the sub id holds', () => {
    expect(attribute(order({ clickId: null, subId: null }), only(click()), { positionLookup })).toEqual({ kind: 'unattributed', clickRejected: 'no_click_id', subIdRejected: 'no_sub_id' });
    expect(attribute(order({ subId: 'pos_x' }), only(click({ sourceId: 'src-pdd' })), { positionLookup })).toEqual({ kind: 'unattributed', clickRejected: 'click_other_source', subIdRejected: 'sub_id_unknown' });
    expect(attribute(order({ sourceId: 'src-pdd', clickId: null }), only(click()), { positionLookup })).toEqual({ kind: 'unattributed', clickRejected: 'no_click_id', subIdRejected: 'sub_id_other_source' });
  });

  it('reads what it needs from an order state', () => {
    const { state } = applyEvent(null, {
      orderId: 'o-1', status: 'paid', occurredAt: iso(ORDERED), currency: 'CNY', clickId: 'clk_1', subId: null,
      lines: [{ lineId: '1', productId: 'p-1', quantity: 1, paidAmountMinor: 100, refundedAmountMinor: 0 }],
    });
    expect(attributableOrderOf(state, 'src-jd')).toEqual(order({ subId: null }));
  });

  it('credits a click only when it is of the same source and within the window, and otherwise never its creator', () => {
    const arbitraryClick = fc.record({
      sourceId: fc.constantFrom('src-jd', 'src-pdd'),
      ageMs: fc.integer({ min: -2 * DAY, max: 10 * DAY }),
      productId: fc.constantFrom('p-1', 'p-2'),
    });
    fc.assert(
      fc.property(arbitraryClick, fc.boolean(), fc.option(fc.constantFrom('pos_b', 'pos_any', 'pos_x'), { nil: null }), ({ sourceId, ageMs, productId }, carried, subId) => {
        const c = click({ creatorId: 'creator-z', sourceId, productId, clickedAt: iso(ORDERED - ageMs) });
        const result = attribute(order({ clickId: carried ? c.id : null, subId }), only(c), { positionLookup });
        const valid = carried && sourceId === 'src-jd' && ageMs >= -CLOCK_SKEW_MS && ageMs <= 7 * DAY;
        expect(result.kind === 'click').toBe(valid);
        if (result.kind !== 'click') expect(result.kind === 'sub_id' ? result.creatorId : null).not.toBe('creator-z');
        if (result.kind === 'click') expect(result.sameProduct).toBe(productId === 'p-1');
      }),
    );
  });
});
