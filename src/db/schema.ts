import type { ColumnType, Generated } from 'kysely';

/** The schema's types: one interface per table. Times are ISO-8601 UTC strings (see core/time.ts). */
/** `colonel` (团长): negotiates activity rates with merchants and takes a share of what they earn. */
export type Role = 'operator' | 'creator' | 'org' | 'merchant' | 'colonel';
export const ROLES: readonly Role[] = ['operator', 'creator', 'org', 'merchant', 'colonel'];

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
  /** The platform's service fee on this source's commission; null = the `platform_fee_bps` setting. */
  platform_fee_bps: number | null;
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
  /** Orders updated before this instant have been polled (null: never polled). */
  orders_polled_until: string | null;
  orders_poll_error: string | null;
  /** A Taobao source's 渠道邀请码: creators register as its channels with it (渠道备案). */
  inviter_code: string | null;
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

export type OrderStatusColumn = 'created' | 'paid' | 'shipped' | 'completed' | 'refunded' | 'cancelled';
export type AttributionKind = 'click' | 'sub_id' | 'manual' | 'unattributed';

/** One order of a source: a projection of its events (`state` is the folded OrderState, JSON). */
export interface OrdersTable {
  id: string;
  source_id: string;
  source_order_id: string;
  currency: string;
  status: OrderStatusColumn;
  ordered_at: string;
  paid_at: string | null;
  completed_at: string | null;
  click_id: string | null;
  sub_id: string | null;
  paid_amount_minor: number;
  refunded_amount_minor: number;
  state: string;
  creator_id: string | null;
  attribution: AttributionKind;
  /** JSON: the rule that decided, and why a click or sub id was not used. */
  attribution_detail: string;
  created_at: string;
  updated_at: string;
  /**
   * Every distinct event applied, as received, in the order applied: JSON Lines, one
   * `StoredEvent` per line (orders/event-record.ts). Appended to, never rewritten.
   */
  events: Generated<string>;
}

/**
 * Every distinct event applied to an order, as received, until migration 014 moved them into
 * `orders.events` and dropped the table. Kept for the migrations before it and their tests.
 */
export interface OrderEventsTable {
  id: string;
  order_id: string;
  /** SHA-256 of the event's content: the same content delivered twice is one event. */
  event_key: string;
  status: OrderStatusColumn;
  occurred_at: string;
  via: 'webhook' | 'poll' | 'import' | 'manual';
  delivery_id: string | null;
  /** The platform's own status code, beside ours (PDD order_status, JD validCode, Taobao tk_status). */
  raw_status: string | null;
  payload: string;
  received_at: string;
}

export interface WebhookDeliveriesTable {
  source_id: string;
  webhook_id: string;
  events: number;
  received_at: string;
}

/** A creator's position (sub id) at a source: the attribution fallback when no click id comes back. */
export interface PositionsTable {
  sub_id: string;
  creator_id: string;
  source_id: string | null;
  label: string | null;
  created_at: string;
  /** What the platform issued (positions.ts `POSITION_KINDS`). */
  kind: ColumnType<string, string | undefined, string>;
}

export interface TargetedPlansTable {
  id: string;
  product_id: string;
  target_kind: 'creator' | 'organisation';
  target_id: string;
  rate_bps: number;
  /** Requested by a creator or organisation; approved or rejected by the product's owner; withdrawn by whoever asked, while still requested. */
  status: 'requested' | 'approved' | 'rejected' | 'withdrawn';
  starts_at: string;
  ends_at: string | null;
  note: string | null;
  requested_by: string;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

export interface ColonelActivitiesTable {
  id: string;
  colonel_id: string;
  name: string;
  rate_bps: number;
  share_bps: number;
  /** Proposed by the colonel; active once the products' owners (or the operator) approve. */
  status: 'proposed' | 'active' | 'rejected' | 'cancelled';
  starts_at: string;
  ends_at: string | null;
  created_by: string;
  created_at: string;
}

export interface ColonelActivityProductsTable {
  activity_id: string;
  product_id: string;
}

export type CommissionStatusColumn = 'estimated' | 'confirmed' | 'settleable' | 'settled' | 'reversed';

/**
 * The commission of one attributed order line: its terms, fixed when the order was paid, and
 * where it stands. The money itself is in the ledger; this row is the index the console and
 * settlement read (status and amounts move with the ledger, in the same transaction).
 */
export interface CommissionsTable {
  id: string;
  order_id: string;
  line_id: string;
  source_id: string;
  source_product_id: string;
  product_id: string | null;
  currency: string;
  creator_id: string;
  organisation_id: string | null;
  organisation_share_bps: number | null;
  colonel_id: string | null;
  colonel_share_bps: number | null;
  platform_fee_bps: number;
  rate_bps: number;
  plan_kind: 'targeted' | 'colonel' | 'open';
  plan_id: string | null;
  paid_amount_minor: number;
  refunded_amount_minor: number;
  /** What is left of the commission after refunds. */
  commission_minor: number;
  creator_amount_minor: number;
  organisation_amount_minor: number;
  status: CommissionStatusColumn;
  paid_at: string;
  /** When the return window ends (completion + window); null until the order completes. */
  settleable_at: string | null;
  settlement_id: string | null;
  /**
   * What the line was settled on (`AsSettled`, JSON), kept by the first change after its
   * settlement; null while the line is as it was settled, or not settled.
   */
  as_settled: string | null;
  created_at: string;
  updated_at: string;
}

export interface LedgerTransactionsTable {
  id: string;
  kind: string;
  at: string;
  ref: string | null;
  recorded_at: string;
}

export interface LedgerPostingsTable {
  transaction_id: string;
  seq: number;
  account: string;
  currency: string;
  amount_minor: number;
}

export interface LedgerBalancesTable {
  account: string;
  currency: string;
  balance_minor: number;
}

export interface SettlementRunsTable {
  id: string;
  as_of: string;
  status: 'running' | 'completed';
  started_by: string | null;
  started_at: string;
  finished_at: string | null;
  lines: number;
  batches: number;
  summary: string | null;
  /** Why the run stopped, while it waits to be resumed (migration 020); null while it goes and once done. */
  error: string | null;
  /** When something last worked on the run: its start or resumption, and each batch (migration 020). */
  heartbeat_at: string | null;
}

export interface SettlementClawbacksTable {
  transaction_id: string;
  settlement_id: string;
}

/** What each account gained in `settled` by a settlement run, summed as its batches land (migration 017). */
export interface SettlementTotalsTable {
  settlement_id: string;
  account: string;
  currency: string;
  amount_minor: number;
}

export interface StatementsTable {
  id: string;
  settlement_id: string;
  party_kind: 'creator' | 'org' | 'colonel';
  party_id: string;
  currency: string;
  lines: number;
  settled_minor: number;
  clawed_back_minor: number;
  net_minor: number;
  created_at: string;
}

export interface PayoutBatchesTable {
  id: string;
  status: 'open' | 'closed';
  created_by: string;
  created_at: string;
  closed_at: string | null;
  /** Its lines, their amount and currency, and how many are paid and failed (migration 025). */
  withdrawals: Generated<number>;
  amount_minor: Generated<number>;
  currency: Generated<string>;
  paid: Generated<number>;
  failed: Generated<number>;
}

export type WithdrawalStatus = 'requested' | 'in_batch' | 'paid' | 'failed';

export interface WithdrawalsTable {
  id: string;
  party_kind: 'creator' | 'org' | 'colonel';
  party_id: string;
  requested_by: string;
  currency: string;
  amount_minor: number;
  payee_name: string;
  payee_account: string;
  status: WithdrawalStatus;
  batch_id: string | null;
  idempotency_key: string | null;
  failure_reason: string | null;
  requested_at: string;
  decided_at: string | null;
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
  orders: OrdersTable;
  order_events: OrderEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  positions: PositionsTable;
  targeted_plans: TargetedPlansTable;
  colonel_activities: ColonelActivitiesTable;
  colonel_activity_products: ColonelActivityProductsTable;
  commissions: CommissionsTable;
  ledger_transactions: LedgerTransactionsTable;
  ledger_postings: LedgerPostingsTable;
  ledger_balances: LedgerBalancesTable;
  settlement_runs: SettlementRunsTable;
  settlement_clawbacks: SettlementClawbacksTable;
  settlement_totals: SettlementTotalsTable;
  statements: StatementsTable;
  payout_batches: PayoutBatchesTable;
  withdrawals: WithdrawalsTable;
}
