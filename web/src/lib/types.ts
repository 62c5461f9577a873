/** Shapes of the console API's answers, as the server sends them (snake_case kept). */

export type Role = 'operator' | 'creator' | 'org' | 'merchant';

export interface User {
  id: string;
  role: Role;
  email: string;
  name: string;
  handle: string | null;
}

export interface OrganisationRef {
  id: string;
  name: string;
}

export interface Me {
  user: User;
  organisation: OrganisationRef | null;
}

export interface CreatorRef {
  id: string;
  handle: string;
  name: string;
}

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'cancelled';
export type MembershipStatus = 'active' | 'scheduled' | 'ended';

export interface CreatorInvitation {
  id: string;
  organisation: OrganisationRef;
  share_bps: number;
  starts_on: string;
  ends_on: string | null;
  status: InvitationStatus;
  created_at: string;
}

export interface OrgInvitation {
  id: string;
  creator: CreatorRef;
  share_bps: number;
  starts_on: string;
  ends_on: string | null;
  status: InvitationStatus;
  created_at: string;
}

export interface Membership {
  id: string;
  organisation: OrganisationRef;
  creator: CreatorRef;
  share_bps: number;
  starts_on: string;
  ends_on: string | null;
  status: MembershipStatus;
}

export interface Organisation {
  id: string;
  name: string;
  created_at: string;
}

export interface AdminUser extends User {
  created_at: string;
}

export interface AdminOrganisation {
  id: string;
  name: string;
  admin: { id: string; email: string; name: string };
  creators: number;
  created_at: string;
}

export type SourceKind = 'platform' | 'merchant' | 'own_shop';

export interface Source {
  id: string;
  kind: SourceKind;
  name: string;
  platform: string | null;
  owner_id: string | null;
  enabled: boolean;
  created_at: string;
}

export interface CreatedSource extends Source {
  webhook_secret: string;
}

export interface Items<T> {
  items: T[];
}

export type Platform = 'pdd' | 'jd' | 'taobao' | 'youzan' | 'weimob' | 'mokuai' | 'dangdang';

export interface SourceRef {
  id: string;
  name: string;
  platform: string | null;
}

/** A product in the pool: money in minor units (fen), rates in bps, shop score in hundredths of 5. */
export interface PoolItem {
  id: string;
  title: string;
  brand: string | null;
  category_path: string[];
  image: string | null;
  images: string[];
  price: number;
  coupon: { amount: number; threshold: number; starts_at: string | null; ends_at: string | null } | null;
  final_price: number;
  currency: string;
  commission_rate_bps: number;
  commission_amount: number;
  sales_30d: number | null;
  shop: { name: string | null; score: number | null };
  source: SourceRef;
  source_product_id: string;
  product_url: string | null;
  status: 'online' | 'offline';
  updated_at: string;
  also_on: { product_id: string; source: SourceRef; final_price: number; commission_rate_bps: number; commission_amount: number }[];
}

export interface PoolFacets {
  platform?: Record<string, number>;
  source?: Record<string, number>;
  category?: Record<string, number>;
  has_coupon?: Record<string, number>;
}

export interface PoolSearch {
  items: PoolItem[];
  total: number;
  facets: PoolFacets;
  next_cursor: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type ImportMode = 'full' | 'incremental';

export interface Rejection {
  row: number;
  reason: string;
}

export interface ImportResult {
  import_id: string;
  imported: number;
  updated: number;
  offline: number;
  rejected: Rejection[];
}

export interface ImportRun {
  id: string;
  format: string;
  mode: ImportMode;
  status: 'running' | 'completed' | 'failed';
  started_at: string;
  finished_at: string | null;
  imported: number;
  updated: number;
  offline: number;
  rejected: number;
  error: string | null;
}

/** How a product came into a showcase: the alliance pool, a merchant's store, the creator's own shop, a store bound to the creator. */
export type ShowcaseVia = 'pool' | 'merchant' | 'own_shop' | 'bound_store';

export interface LinkRef {
  code: string;
  /** Relative to the server ("/r/CODE"). */
  url: string;
}

export interface ShowcaseItem {
  id: string;
  product_id: string;
  link: LinkRef | null;
  via: ShowcaseVia;
  position: number;
  pinned: boolean;
  visible: boolean;
  recommendation: string | null;
  created_at: string;
  product: PoolItem;
  changes: { offline: boolean; price_changed: boolean; rate_changed: boolean };
  /** The price and rate when the item was added (or its changes last acknowledged). */
  added: { final_price: number; commission_rate_bps: number };
}

export type BindingStatus = 'pending' | 'approved' | 'rejected' | 'revoked';

export interface Store {
  id: string;
  name: string;
  kind: 'merchant' | 'own_shop';
  platform: string | null;
  owner_name: string | null;
  mine: boolean;
  binding: BindingStatus | null;
  products: number;
}

export interface Binding {
  id: string;
  creator: { id: string; name: string; handle: string | null };
  source: { id: string; name: string; kind: string };
  status: BindingStatus;
  requested_at: string;
  decided_at: string | null;
}

/** 'showcase' is the link every item gets when added; the others a creator makes to compare channels. */
export type LinkChannel = 'showcase' | 'video' | 'live' | 'group' | 'other';

export interface TrackedLink {
  code: string;
  url: string;
  channel: LinkChannel;
  clicks: number;
  unique_clicks: number;
  created_at: string;
  product_id?: string;
  item_id?: string | null;
}
