import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Forbidden, InvalidInput, NotFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { nowIso } from '../../core/time.ts';
import { PLATFORMS, SOURCE_KINDS, type Database, type Platform, type SourceKind, type SourcesTable } from '../../db/schema.ts';
import type { User } from '../accounts/model.ts';
import { findUserById } from '../accounts/service.ts';
import { recordAudit } from '../audit/service.ts';
import type { Source } from './model.ts';

type Q = Kysely<Database>;

export interface NewSource {
  kind: SourceKind;
  name: string;
  platform?: Platform | null;
  ownerUserId?: string | null;
  defaultCommissionBps?: number | null;
}

/** Which role may own a source of each kind (platform sources belong to the operator side). */
const OWNER_ROLE: Record<SourceKind, 'merchant' | 'creator' | null> = {
  platform: null,
  merchant: 'merchant',
  own_shop: 'creator',
};

function toSource(row: Omit<SourcesTable, 'webhook_secret'>): Source {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    platform: row.platform,
    ownerUserId: row.owner_user_id,
    defaultCommissionBps: row.default_commission_bps,
    platformFeeBps: row.platform_fee_bps,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
  };
}

/** A Standard Webhooks secret: `whsec_` and base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export async function createSource(db: Q, input: NewSource, actorUserId: string | null = null): Promise<Source & { webhookSecret: string }> {
  if (!SOURCE_KINDS.includes(input.kind)) throw new InvalidInput('invalid_kind', `kind must be one of ${SOURCE_KINDS.join(', ')}`);
  const name = input.name?.trim();
  if (!name || name.length > 100) throw new InvalidInput('invalid_name', 'source name is 1-100 characters');
  const platform = input.platform ?? null;
  if (platform !== null && !PLATFORMS.includes(platform)) throw new InvalidInput('invalid_platform', `platform must be one of ${PLATFORMS.join(', ')}`);
  if (input.kind === 'platform' && platform === null) throw new InvalidInput('platform_required', 'a platform source needs --platform');
  const rate = input.defaultCommissionBps ?? null;
  if (rate !== null && (!Number.isInteger(rate) || rate < 0 || rate > 10_000)) throw new InvalidInput('invalid_rate', 'default commission is 0-10000 basis points');

  const ownerUserId = input.ownerUserId ?? null;
  const ownerRole = OWNER_ROLE[input.kind];
  if (ownerUserId !== null) {
    const owner = await findUserById(db, ownerUserId);
    if (!owner) throw new InvalidInput('unknown_owner', `no user ${ownerUserId}`);
    if (owner.role !== ownerRole) throw new InvalidInput('invalid_owner', `a ${input.kind} source is owned by a ${ownerRole ?? 'nobody: it is the platform'} account`);
  } else if (input.kind === 'own_shop') {
    throw new InvalidInput('owner_required', 'an own_shop source needs its creator as --owner');
  }

  const row: SourcesTable = {
    id: newId('source'),
    kind: input.kind,
    name,
    platform,
    owner_user_id: ownerUserId,
    webhook_secret: newWebhookSecret(),
    default_commission_bps: rate,
    platform_fee_bps: null,
    enabled: 1,
    created_at: nowIso(),
  };
  await db.insertInto('sources').values(row).execute();
  await recordAudit(db, actorUserId, 'source.created', row.id, { kind: row.kind, owner_user_id: ownerUserId });
  return { ...toSource(row), webhookSecret: row.webhook_secret };
}

const VISIBLE_COLUMNS = ['id', 'kind', 'name', 'platform', 'owner_user_id', 'default_commission_bps', 'platform_fee_bps', 'enabled', 'created_at'] as const;

/** Operators see every source; merchants and creators see the sources they own. */
export async function sourcesVisibleTo(db: Q, viewer: User): Promise<Source[]> {
  let query = db.selectFrom('sources').select(VISIBLE_COLUMNS).orderBy('id');
  if (viewer.role === 'org') throw new Forbidden();
  if (viewer.role !== 'operator') query = query.where('owner_user_id', '=', viewer.id);
  return (await query.execute()).map(toSource);
}

export async function sourceVisibleTo(db: Q, viewer: User, sourceId: string): Promise<Source> {
  const row = await db.selectFrom('sources').select(VISIBLE_COLUMNS).where('id', '=', sourceId).executeTakeFirst();
  if (!row || (viewer.role !== 'operator' && row.owner_user_id !== viewer.id)) throw new NotFound('source');
  return toSource(row);
}

/** For webhook verification only: never returned by a listing. */
export async function webhookSecretOf(db: Q, sourceId: string): Promise<string | null> {
  const row = await db.selectFrom('sources').select('webhook_secret').where('id', '=', sourceId).executeTakeFirst();
  return row?.webhook_secret ?? null;
}

export async function countSources(db: Q): Promise<number> {
  const row = await db.selectFrom('sources').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A source by id, for trusted callers (the CLI, jobs); 404 when there is none. */
export async function findSource(db: Q, sourceId: string): Promise<Source> {
  const row = await db.selectFrom('sources').select(VISIBLE_COLUMNS).where('id', '=', sourceId).executeTakeFirst();
  if (!row) throw new NotFound(`source ${sourceId}`);
  return toSource(row);
}
