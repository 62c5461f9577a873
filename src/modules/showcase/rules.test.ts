import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changesSinceAdded, compareItems, wayIn } from './rules.ts';

describe('the four ways into a showcase', () => {
  it('takes platform products from the pool', () => {
    expect(wayIn({ kind: 'platform', ownerUserId: null }, 'usr_c', false)).toBe('pool');
  });
  it("opens a merchant's products to every creator, through the binding when bound", () => {
    expect(wayIn({ kind: 'merchant', ownerUserId: 'usr_m' }, 'usr_c', false)).toBe('merchant');
    expect(wayIn({ kind: 'merchant', ownerUserId: 'usr_m' }, 'usr_c', true)).toBe('bound_store');
  });
  it("keeps an own shop to its creator and the creators bound to it", () => {
    expect(wayIn({ kind: 'own_shop', ownerUserId: 'usr_c' }, 'usr_c', false)).toBe('own_shop');
    expect(wayIn({ kind: 'own_shop', ownerUserId: 'usr_x' }, 'usr_c', false)).toBeNull();
    expect(wayIn({ kind: 'own_shop', ownerUserId: 'usr_x' }, 'usr_c', true)).toBe('bound_store');
  });
});

describe('showcase items', () => {
  it('flag what changed since they were added', () => {
    expect(changesSinceAdded({ finalPriceMinor: 100, rateBps: 10 }, { finalPriceMinor: 100, rateBps: 10, online: true })).toEqual({ offline: false, priceChanged: false, rateChanged: false });
    expect(changesSinceAdded({ finalPriceMinor: 100, rateBps: 10 }, { finalPriceMinor: 90, rateBps: 20, online: false })).toEqual({ offline: true, priceChanged: true, rateChanged: true });
  });

  it('sort pinned first, then by position, into a total order', () => {
    const item = fc.record({ pinned: fc.boolean(), position: fc.integer({ min: 0, max: 5 }), id: fc.uuid() });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), (items) => {
        const sorted = [...items].sort(compareItems);
        const firstUnpinned = sorted.findIndex((i) => !i.pinned);
        return firstUnpinned === -1 || sorted.slice(firstUnpinned).every((i) => !i.pinned);
      }),
    );
  });
});
