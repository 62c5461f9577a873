import type { Generated } from 'kysely';

/** The schema's types: one interface per table. Times are ISO-8601 UTC strings (see core/time.ts). */
export type Role = 'operator' | 'creator' | 'org' | 'merchant';
export const ROLES: readonly Role[] = ['operator', 'creator', 'org', 'merchant'];

export interface UsersTable {
  id: string;
  role: Role;
  email: string;
  password_hash: string;
  name: string;
  handle: string | null;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  admin_user_id: string;
  created_at: string;
}

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'cancelled';

export interface InvitationsTable {
  id: string;
  organisation_id: string;
  creator_id: string;
  share_bps: number;
  starts_at: string;
  ends_at: string | null;
  status: InvitationStatus;
  created_at: string;
  responded_at: string | null;
}

/**
 * A creator's membership of an organisation, [starts_at, ends_at). Rows are only ever added, and
 * ends_at set once (never into the past), so "which organisation, at what share, at time T" can be
 * answered for any T.
 */
export interface MembershipsTable {
  id: string;
  organisation_id: string;
  creator_id: string;
  invitation_id: string;
  share_bps: number;
  starts_at: string;
  ends_at: string | null;
  created_at: string;
  ended_by: string | null;
}

export type SourceKind = 'platform' | 'merchant' | 'own_shop';
export const SOURCE_KINDS: readonly SourceKind[] = ['platform', 'merchant', 'own_shop'];
export const PLATFORMS = ['pdd', 'jd', 'taobao', 'youzan', 'weimob', 'mokuai', 'dangdang'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface SourcesTable {
  id: string;
  kind: SourceKind;
  name: string;
  platform: Platform | null;
  owner_user_id: string | null;
  webhook_secret: string;
  default_commission_bps: number | null;
  enabled: number;
  created_at: string;
}

export interface AuditLogTable {
  id: string;
  actor_user_id: string | null;
  action: string;
  subject_id: string;
  details: string;
  created_at: string;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  email: string;
  succeeded: number;
  attempted_at: string;
}

export type ProductStatus = 'online' | 'offline';

export interface ProductsTable {
  id: string;
  source_id: string;
  source_product_id: string;
  title: string;
  brand: string | null;
  /** Levels joined by '>' ('数码>手机'); '' when unknown. */
  category_path: string;
  /** JSON array of image URLs. */
  images: string;
  currency: string;
  price_minor: number;
  coupon_amount_minor: number | null;
  coupon_threshold_minor: number | null;
  coupon_starts_at: string | null;
  coupon_ends_at: string | null;
  final_price_minor: number;
  /** The rate in force: the feed's, or the source's default when the feed had none. */
  commission_rate_bps: number;
  rate_from_feed: number;
  commission_amount_minor: number;
  sales_30d: number;
  shop_name: string | null;
  shop_score: number | null;
  product_url: string | null;
  status: ProductStatus;
  /** Same brand and normalised title: the same product offered by several sources. */
  group_key: string;
  created_at: string;
  updated_at: string;
  /** The import that last wrote this row (an upsert, or marking it offline). */
  last_import_id: string;
}

export type ImportMode = 'full' | 'incremental';

export interface ImportRunsTable {
  id: string;
  source_id: string;
  format: string;
  mode: ImportMode;
  status: 'running' | 'completed' | 'failed';
  started_by: string | null;
  started_at: string;
  finished_at: string | null;
  imported: number;
  updated: number;
  offline: number;
  rejected: number;
  error: string | null;
}

export interface ImportRejectionsTable {
  import_id: string;
  row: number;
  reason: string;
}

export interface SourceConnectionsTable {
  source_id: string;
  app_key: string;
  app_secret: string;
  base_url: string | null;
  /** The platform's promotion position: PDD pid, Taobao adzone id, JD position id. */
  position_id: string | null;
  /** JSON array of search keywords to sync. */
  keywords: string;
  sync_every_minutes: number;
  next_sync_at: string;
  last_sync_at: string | null;
  last_sync_error: string | null;
}

/** How a product came into a showcase: the four ways in. */
export type ShowcaseVia = 'pool' | 'merchant' | 'own_shop' | 'bound_store';

export interface ShowcaseItemsTable {
  id: string;
  creator_id: string;
  product_id: string;
  via: ShowcaseVia;
  /** Order within the showcase (ascending); pinned items come first. */
  position: number;
  pinned: number;
  visible: number;
  /** The creator's one-line recommendation. */
  recommendation: string | null;
  /** Final price and rate when added, to flag changes since. */
  added_final_price_minor: number;
  added_rate_bps: number;
  created_at: string;
}

export interface StoreBindingsTable {
  id: string;
  creator_id: string;
  source_id: string;
  status: 'pending' | 'approved' | 'rejected' | 'revoked';
  requested_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

export interface LinksTable {
  /** The short, unguessable code of /r/:code. */
  code: string;
  creator_id: string;
  product_id: string;
  /** The showcase item it was made for; null once the item is removed (the link keeps working). */
  item_id: string | null;
  /** 'showcase' for an item's own link; else the channel the creator made it for (video, live, group…). */
  channel: string;
  created_at: string;
}

export interface ClicksTable {
  /** `clk_…`: travels to the source and comes back on the order. */
  id: string;
  link_code: string;
  creator_id: string;
  product_id: string;
  source_id: string;
  channel: string;
  clicked_at: string;
  /** Keyed hash of the client IP; the raw IP is never stored. */
  ip_hash: string;
  ua_class: string;
  referrer: string | null;
  is_bot: number;
  is_repeat: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  organisations: OrganisationsTable;
  invitations: InvitationsTable;
  memberships: MembershipsTable;
  sources: SourcesTable;
  audit_log: AuditLogTable;
  products: ProductsTable;
  import_runs: ImportRunsTable;
  import_rejections: ImportRejectionsTable;
  source_connections: SourceConnectionsTable;
  showcase_items: ShowcaseItemsTable;
  store_bindings: StoreBindingsTable;
  links: LinksTable;
  clicks: ClicksTable;
  settings: SettingsTable;
}
