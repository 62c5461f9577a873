import { z } from 'zod';

/** The channels a creator names a link for; any other short label is a channel of their own. */
export const NAMED_CHANNELS = ['showcase', 'video', 'live', 'group', 'other'] as const;
export const channelSchema = z.string().regex(/^[a-z0-9_-]{1,20}$/, 'channel is showcase, video, live, group, other or a label of 1-20 of a-z 0-9 _ -');

export type UaClass = 'mobile' | 'tablet' | 'desktop' | 'bot' | 'unknown';

export interface NewLink {
  creatorId: string;
  productId: string;
  /** The showcase item the link belongs to; null for a link made outside the showcase. */
  itemId: string | null;
  channel: string;
}

export interface Link {
  code: string;
  /** The tracked path, `/r/<code>`; the HTTP layer may prefix its origin. */
  url: string;
  creatorId: string;
  productId: string;
  itemId: string | null;
  channel: string;
  createdAt: string;
}

export interface ClickCounts {
  /** Every stored click: every 302 answered, bots and repeats included. */
  clicks: number;
  /** Clicks neither from a bot nor a repeat of the same visitor within the repeat window. */
  uniqueClicks: number;
}

export type LinkWithCounts = Link & ClickCounts;

/** What a redirect needs to know about a link, cached per app node. */
export interface LinkTarget {
  code: string;
  creatorId: string;
  productId: string;
  sourceId: string;
  /** The product's id at its source (PDD goods_sign): what a promotion URL is asked for. */
  sourceProductId: string;
  platform: string | null;
  channel: string;
  productUrl: string | null;
  /**
   * Taobao only: the creator's 渠道关系 id at the link's source (a `relation` position), which the
   * link carries as `relationId` so Taobao credits the sale to the creator's channel.
   */
  relationId: string | null;
}

/** One row of `clicks`, as the recorder writes it. */
export interface ClickRow {
  id: string;
  link_code: string;
  creator_id: string;
  product_id: string;
  source_id: string;
  channel: string;
  clicked_at: string;
  ip_hash: string;
  ua_class: UaClass;
  referrer: string | null;
  is_bot: number;
  is_repeat: number;
}
