import type { Kysely } from 'kysely';
import { InvalidInput, NotFound } from '../../core/errors.ts';
import { nowIso } from '../../core/time.ts';
import type { Database, SourceConnectionsTable } from '../../db/schema.ts';
import { JdClient } from './connectors/jd.ts';
import { jdOrderClient } from './connectors/orders/jd-orders.ts';
import type { OrderClient } from './connectors/orders/model.ts';
import { pddOrderClient } from './connectors/orders/pdd-orders.ts';
import { taobaoOrderClient } from './connectors/orders/taobao-orders.ts';
import { PddClient } from './connectors/pdd.ts';
import { TaobaoClient } from './connectors/taobao.ts';
import type { ConnectorQuery } from './connectors/paging.ts';
import type { ParsedRow } from '../pool/model.ts';
import type { Source } from './model.ts';
import { recordAudit } from '../audit/service.ts';

type Q = Kysely<Database>;

/** The platforms Vitrine has an API connector for. */
export const CONNECTED_PLATFORMS = ['pdd', 'jd', 'taobao'] as const;

export interface ConnectionInput {
  appKey: string;
  /** Null keeps the stored secret (a connection's settings change without typing it again). */
  appSecret: string | null;
  baseUrl?: string | null;
  positionId?: string | null;
  keywords: string[];
  syncEveryMinutes: number;
  /** Taobao only: the 渠道邀请码 creators register as channels with. */
  inviterCode?: string | null;
}

export interface PlatformClient {
  pages(query: ConnectorQuery): AsyncGenerator<ParsedRow[]>;
}

/** Sets (or replaces) the API credentials and sync schedule of a platform source. */
export async function connectSource(db: Q, source: Source, input: ConnectionInput, actorUserId: string | null): Promise<void> {
  if (source.kind !== 'platform' || !(CONNECTED_PLATFORMS as readonly string[]).includes(source.platform ?? '')) {
    throw new InvalidInput('no_connector', `there is an API connector for ${CONNECTED_PLATFORMS.join(', ')} platform sources only`);
  }
  const appSecret = input.appSecret?.trim() || (await db.selectFrom('source_connections').select('app_secret').where('source_id', '=', source.id).executeTakeFirst())?.app_secret;
  if (!input.appKey.trim() || !appSecret) throw new InvalidInput('credentials_required', 'app key and app secret are required');
  if (!Number.isInteger(input.syncEveryMinutes) || input.syncEveryMinutes < 5) throw new InvalidInput('invalid_schedule', 'sync at most every 5 minutes');
  const inviterCode = input.inviterCode?.trim() || null;
  if (inviterCode !== null && source.platform !== 'taobao') throw new InvalidInput('invalid_inviter_code', 'an inviter code (渠道邀请码) is Taobao’s: only a Taobao source takes one');
  if (inviterCode !== null && !/^[A-Za-z0-9]{4,32}$/.test(inviterCode)) throw new InvalidInput('invalid_inviter_code', 'an inviter code is 4-32 letters and digits');
  const row: SourceConnectionsTable = {
    source_id: source.id,
    app_key: input.appKey.trim(),
    app_secret: appSecret,
    base_url: input.baseUrl ?? null,
    position_id: input.positionId ?? null,
    keywords: JSON.stringify(input.keywords.map((k) => k.trim()).filter(Boolean)),
    sync_every_minutes: input.syncEveryMinutes,
    next_sync_at: nowIso(),
    last_sync_at: null,
    last_sync_error: null,
    orders_polled_until: null,
    orders_poll_error: null,
    inviter_code: inviterCode,
  };
  await db
    .insertInto('source_connections')
    .values(row)
    .onConflict((oc) => oc.column('source_id').doUpdateSet({ app_key: row.app_key, app_secret: row.app_secret, base_url: row.base_url, position_id: row.position_id, keywords: row.keywords, sync_every_minutes: row.sync_every_minutes, next_sync_at: row.next_sync_at, inviter_code: row.inviter_code }))
    .execute();
  await recordAudit(db, actorUserId, 'source.connected', source.id, { keywords: input.keywords, sync_every_minutes: input.syncEveryMinutes });
}

export async function connectionOf(db: Q, sourceId: string): Promise<SourceConnectionsTable> {
  const row = await db.selectFrom('source_connections').selectAll().where('source_id', '=', sourceId).executeTakeFirst();
  if (!row) throw new NotFound('connection');
  return row;
}

export function clientFor(source: Source, connection: SourceConnectionsTable, options: { fetch?: typeof fetch; minBackoffMs?: number } = {}): PlatformClient {
  const common = { appKey: connection.app_key, appSecret: connection.app_secret, baseUrl: connection.base_url ?? undefined, ...options };
  switch (source.platform) {
    case 'pdd':
      return new PddClient({ ...common, pid: connection.position_id ?? undefined });
    case 'jd':
      return new JdClient(common);
    case 'taobao':
      return new TaobaoClient({ ...common, adzoneId: connection.position_id ?? undefined });
    default:
      throw new InvalidInput('no_connector', `no API connector for platform ${source.platform}`);
  }
}

/** The order-report client of a connected platform source (PDD, JD Union, Taobao). */
export function orderClientFor(source: Source, connection: SourceConnectionsTable, options: { fetch?: typeof fetch; minBackoffMs?: number } = {}): OrderClient {
  const common = { appKey: connection.app_key, appSecret: connection.app_secret, baseUrl: connection.base_url ?? undefined, ...options };
  switch (source.platform) {
    case 'pdd':
      return pddOrderClient(common);
    case 'jd':
      return jdOrderClient(common);
    case 'taobao':
      return taobaoOrderClient(common);
    default:
      throw new InvalidInput('no_connector', `no API connector for platform ${source.platform}`);
  }
}

/** Every connected source due for a sync, and claims each so only one node runs it. */
export async function claimDueSyncs(db: Q, now: string): Promise<SourceConnectionsTable[]> {
  const due = await db
    .selectFrom('source_connections')
    .innerJoin('sources', 'sources.id', 'source_connections.source_id')
    .selectAll('source_connections')
    .where('sources.enabled', '=', 1)
    .where('source_connections.next_sync_at', '<=', now)
    .execute();
  const claimed: SourceConnectionsTable[] = [];
  for (const connection of due) {
    const next = new Date(Date.parse(now) + connection.sync_every_minutes * 60_000).toISOString();
    // Optimistic claim: of several nodes seeing the same due row, the one whose update matched wins.
    const result = await db
      .updateTable('source_connections')
      .set({ next_sync_at: next })
      .where('source_id', '=', connection.source_id)
      .where('next_sync_at', '=', connection.next_sync_at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) claimed.push(connection);
  }
  return claimed;
}

export async function recordSyncOutcome(db: Q, sourceId: string, error: string | null): Promise<void> {
  await db.updateTable('source_connections').set({ last_sync_at: nowIso(), last_sync_error: error }).where('source_id', '=', sourceId).execute();
}
