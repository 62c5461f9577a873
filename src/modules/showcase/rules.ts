import type { ShowcaseVia, SourceKind } from '../../db/schema.ts';

/** Items a showcase can hold: enough for any real creator, small enough to render on a phone. */
export const MAX_SHOWCASE_ITEMS = 500;
export const MAX_RECOMMENDATION_LENGTH = 120;

export interface SourceOfProduct {
  kind: SourceKind;
  ownerUserId: string | null;
}

/**
 * Which of the four ways in a product takes into a creator's showcase, or null when the creator
 * may not add it: platform products come from the alliance pool; a merchant's products are open to
 * every creator (the merchant opted in to promotion), through a binding when there is one; an own
 * shop's products are its creator's, and a bound creator's.
 */
export function wayIn(source: SourceOfProduct, creatorId: string, boundToSource: boolean): ShowcaseVia | null {
  switch (source.kind) {
    case 'platform':
      return 'pool';
    case 'merchant':
      return boundToSource ? 'bound_store' : 'merchant';
    case 'own_shop':
      if (source.ownerUserId === creatorId) return 'own_shop';
      return boundToSource ? 'bound_store' : null;
  }
}

export interface ItemChangeFlags {
  offline: boolean;
  priceChanged: boolean;
  rateChanged: boolean;
}

/** What changed about a product since the creator added it. */
export function changesSinceAdded(added: { finalPriceMinor: number; rateBps: number }, now: { finalPriceMinor: number; rateBps: number; online: boolean }): ItemChangeFlags {
  return { offline: !now.online, priceChanged: added.finalPriceMinor !== now.finalPriceMinor, rateChanged: added.rateBps !== now.rateBps };
}

/** Showcase order: pinned first, then by position, then by age. */
export function compareItems(a: { pinned: boolean; position: number; id: string }, b: { pinned: boolean; position: number; id: string }): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.position !== b.position) return a.position - b.position;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
