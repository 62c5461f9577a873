/** Shapes of the console API's answers, as the server sends them (snake_case kept). */

/** 'colonel' (团长): negotiates activity rates with merchants and takes a service share of the commission earned under them. */
export type Role = 'operator' | 'creator' | 'org' | 'merchant' | 'colonel';

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

export type OrderStatus = 'created' | 'paid' | 'shipped' | 'completed' | 'refunded' | 'cancelled';
export type CommissionStatus = 'estimated' | 'confirmed' | 'settleable' | 'settled' | 'reversed';
export type AttributionRule = 'click' | 'sub_id' | 'manual' | 'unattributed';

/** One line of an order; `commission` is the viewer's share of it (null when the viewer has none). */
export interface OrderLine {
  line_id: string;
  source_product_id: string;
  product: { id: string; title: string } | null;
  quantity: number;
  paid_amount: number;
  refunded_amount: number;
  commission: { status: CommissionStatus; rate_bps: number; plan: string; amount: number } | null;
}

/** An order as the viewer may see it: amounts in minor units; `commission` is the viewer's share (the whole for the operator). */
export interface Order {
  id: string;
  source: SourceRef;
  source_order_id: string;
  status: OrderStatus;
  currency: string;
  ordered_at: string;
  paid_at: string | null;
  completed_at: string | null;
  paid_amount: number;
  refunded_amount: number;
  attribution: AttributionRule;
  attribution_detail?: unknown;
  click_id: string | null;
  sub_id: string | null;
  creator: { id: string; name: string; handle: string | null } | null;
  commission: number;
  lines: OrderLine[];
}

/** An event applied to an order, as it arrived (webhook, poll, import or by hand). */
export interface OrderEvent {
  status: string;
  occurred_at: string;
  received_at: string;
  via: 'webhook' | 'poll' | 'import' | 'manual';
  delivery_id: string | null;
  raw_status: string | null;
  payload: unknown;
}

export interface OrderDetail extends Order {
  history: OrderEvent[];
}

export interface EarningsSummary {
  currency: string;
  estimated: number;
  confirmed: number;
  settleable: number;
  settled: number;
  /** Settled, less paid out and withdrawals in progress; negative after a claw-back. */
  available: number;
  paid_out: number;
}

/** GET /api/operator/overview: what waits on the operator, and the platform's service fee by status. */
export interface OperatorOverview {
  currency: string;
  platform_fee: { estimated: number; confirmed: number; settleable: number; settled: number };
  unattributed_orders: number;
  withdrawals_requested: { count: number; amount: number };
  open_payout_batches: number;
  last_settlement: { id: string; as_of: string; status: string; finished_at: string | null; error: string | null; active: boolean } | null;
  next_settlement_at: string;
}

/** GET /api/earnings/by-creator: one of an organisation's creators over the window, amounts in minor units. */
export interface CreatorPerformance {
  creator: { id: string; name: string; handle: string | null };
  orders: number;
  paid_amount: number;
  refunded_amount: number;
  commission: number;
  share: number;
}

/** `GET /api/earnings/by-product`: one product's lines of the window, and the caller's part. */
export interface ProductPerformance {
  product: { id: string; title: string; image: string | null } | null;
  source: SourceRef;
  source_product_id: string;
  orders: number;
  paid_amount: number;
  refunded_amount: number;
  commission: number;
  share: number;
}

/** `GET /api/merchant/sales`: a merchant's sources' orders paid on one day (Asia/Shanghai). */
export interface DailySales {
  day: string;
  orders: number;
  paid_amount: number;
  refunded_amount: number;
  /** Paid less refunded; a cancelled order counts nothing. */
  net_amount: number;
  /** What the orders' commission lines carry: what the merchant pays the creators. */
  commission: number;
}

export interface MerchantSales {
  currency: string;
  items: DailySales[];
}

export interface DailyEarning {
  /** YYYY-MM-DD, Asia/Shanghai. */
  day: string;
  lines: number;
  amount: number;
}

export interface Statement {
  id: string;
  settlement_id: string;
  as_of: string;
  party: { kind: string; id: string; name: string };
  currency: string;
  lines: number;
  settled: number;
  /** Negative: refunds after an earlier settlement, charged to this one. */
  clawed_back: number;
  net: number;
  created_at: string;
}

/** An order line of a statement, as it was settled. */
export interface StatementLine {
  order_id: string;
  source_order_id: string;
  line_id: string;
  product: { id: string; title: string } | null;
  /** Whose order it was. */
  creator: { id: string; name: string };
  paid_at: string;
  paid_amount: number;
  refunded_amount: number;
  rate_bps: number;
  commission: number;
  /** The statement's party's share of the commission. */
  share: number;
  currency: string;
  /** Refunded or re-termed since: the difference is in a later statement. */
  changed_since: boolean;
}

export type WithdrawalStatus = 'requested' | 'in_batch' | 'paid' | 'failed';

export interface Withdrawal {
  id: string;
  party: { kind: string; id: string; name: string };
  currency: string;
  amount: number;
  payee_name: string;
  payee_account: string;
  status: WithdrawalStatus;
  batch_id: string | null;
  failure_reason: string | null;
  requested_at: string;
  decided_at: string | null;
}

export interface PayoutBatch {
  id: string;
  status: 'open' | 'closed';
  created_at: string;
  closed_at: string | null;
  withdrawals: number;
  currency: string;
  amount: number;
  paid: number;
  failed: number;
}

export interface SettlementRun {
  id: string;
  as_of: string;
  status: 'running' | 'completed';
  started_at: string;
  finished_at: string | null;
  lines: number;
  batches: number;
  summary: { settled_minor: Record<string, number>; clawed_back_minor: Record<string, number>; statements: number } | null;
  /** Why a running run stopped; it waits to be resumed by the next run. */
  error: string | null;
  heartbeat_at: string | null;
  /** Running, not stopped, and moved within the last two minutes (a running run that is not was left by a server that went away). */
  active: boolean;
}

/** What POST /api/settlements answers with `Prefer: respond-async`: the run, recorded and going. */
export interface SettlementStarted {
  settlement_id: string;
  as_of: string;
  resumed: boolean;
  status: 'running';
}

export interface LedgerSettings {
  platform_fee_bps: number;
  attribution_window_days: number;
  return_window_days: number;
  withdrawal_minimum_minor: number;
  settlement_day_of_month: number;
  settlement_hour: number;
}

export type TargetedPlanStatus = 'requested' | 'approved' | 'rejected' | 'withdrawn';

/** A higher rate on one product for a creator or organisation (GET /api/plans/targeted); lists add the open rate, who asked and what the caller may do. */
export interface TargetedPlan {
  id: string;
  product_id: string;
  product_title?: string;
  open_rate_bps?: number;
  target: { kind: 'creator' | 'organisation'; id: string; name?: string };
  rate_bps: number;
  status: TargetedPlanStatus;
  starts_on: string;
  ends_on: string | null;
  starts_at: string;
  ends_at: string | null;
  /** its window has closed: orders paid from now on no longer get its rate */
  ended: boolean;
  note: string | null;
  created_at: string;
  decided_at: string | null;
  may_decide?: boolean;
  may_end?: boolean;
  may_withdraw?: boolean;
}

export type ColonelActivityStatus = 'proposed' | 'active' | 'rejected' | 'cancelled';

/** A colonel's (团长) activity: a rate and the colonel's service share over products and a window (GET /api/colonel/activities). */
export interface ColonelActivity {
  id: string;
  colonel_id: string;
  colonel_name?: string;
  name: string;
  rate_bps: number;
  share_bps: number;
  status: ColonelActivityStatus;
  starts_on: string;
  ends_on: string | null;
  starts_at: string;
  ends_at: string | null;
  /** its window has closed: an active activity that no longer applies to orders paid from now on */
  ended: boolean;
  product_ids: string[];
  products?: { id: string; title: string; commission_rate_bps: number }[];
  may_decide?: boolean;
  may_cancel?: boolean;
  may_end?: boolean;
  created_at: string;
}

/** One of a creator's position ids (PDD pid, JD positionId, Taobao relation_id) at a source. */
export interface Position {
  sub_id: string;
  source_id: string | null;
  label: string | null;
  created_at: string;
  /** position: a 推广位; relation: a Taobao 渠道关系 id, carried by the creator's Taobao links. */
  kind: 'position' | 'relation';
}

/** `GET /api/positions`: the creator's position ids, and the platform sources one may be recorded for. */
export interface Positions extends Items<Position> {
  /** channel_registration: a Taobao source the creator can register as a channel of, by authorising on Taobao. */
  sources: { id: string; name: string; platform: string | null; channel_registration: boolean }[];
}

/** `GET /api/sources/:id/connection`: a platform source's API connection (never its secret). */
export interface SourceConnection {
  source_id: string;
  app_key: string;
  base_url: string | null;
  position_id: string | null;
  keywords: string[];
  sync_every_minutes: number;
  next_sync_at: string;
  last_sync_at: string | null;
  last_sync_error: string | null;
  orders_polled_until: string | null;
  orders_poll_error: string | null;
  /** Taobao: the 渠道邀请码 creators register as channels with. */
  inviter_code: string | null;
}

/** `POST /api/sources/:id/sync`: what one sync imported. */
export interface SyncReport {
  import_id: string;
  imported: number;
  updated: number;
  rejected: { row: number; reason: string }[];
}
