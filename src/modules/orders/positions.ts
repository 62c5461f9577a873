import type { Kysely, Selectable } from 'kysely';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../../core/errors.ts';
import { nowIso } from '../../core/time.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { Database, PositionsTable } from '../../db/schema.ts';
import type { User } from '../accounts/model.ts';

type Q = Kysely<Database>;

export type Position = Selectable<PositionsTable>;

/**
 * A creator's position ids at the sources (PDD pid, JD positionId / subUnionId, Taobao
 * relation_id or adzone_id): the platform issues them, the creator records them here, and an
 * order that comes back without a usable click id is credited through them (attribution rule 4).
 */
export async function positionsOf(db: Q, creator: User): Promise<Position[]> {
  if (creator.role !== 'creator') throw new Forbidden();
  return db.selectFrom('positions').selectAll().where('creator_id', '=', creator.id).orderBy('created_at').execute();
}

/**
 * What a platform issued: a 推广位 (`position`: PDD pid, JD positionId, Taobao adzone_id), or a
 * Taobao channel's 渠道关系 id (`relation`: relation_id), which the creator's Taobao links carry
 * as `relationId` (link-targets.ts). Either credits an order that names it.
 */
export const POSITION_KINDS = ['position', 'relation'] as const;
export type PositionKind = (typeof POSITION_KINDS)[number];

export async function addPosition(db: Q, creator: User, input: { subId: string; sourceId?: string | null; label?: string | null; kind?: PositionKind }): Promise<Position> {
  if (creator.role !== 'creator') throw new Forbidden();
  const subId = input.subId.trim();
  const kind = input.kind ?? 'position';
  if (!/^[A-Za-z0-9_\-.]{1,64}$/.test(subId)) throw new InvalidInput('invalid_sub_id', 'sub_id is 1-64 letters, digits, _ - or .');
  if (input.sourceId) {
    const source = await db.selectFrom('sources').select(['id', 'platform']).where('id', '=', input.sourceId).executeTakeFirst();
    if (!source) throw new NotFound('source');
    if (kind === 'relation' && source.platform !== 'taobao') throw new InvalidInput('invalid_position_kind', 'a relation id (渠道关系 id) is issued by Taobao: record it for a Taobao source');
  } else if (kind === 'relation') {
    throw new InvalidInput('invalid_position_kind', 'a relation id is recorded for the Taobao source that issued it: source_id is required');
  }
  if (kind === 'relation' && !/^[0-9]{1,20}$/.test(subId)) throw new InvalidInput('invalid_relation_id', 'a Taobao relation id is a number');
  const row: Position = { sub_id: subId, creator_id: creator.id, source_id: input.sourceId ?? null, label: input.label?.trim() || null, created_at: nowIso(), kind };
  try {
    await db.insertInto('positions').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict('sub_id_taken', `position ${subId} is already registered`);
    throw error;
  }
  return row;
}

/**
 * The platform sources a creator may record a position id for (the console's choice), and whether
 * a creator can register as a channel of each by authorising on Taobao (a Taobao source whose
 * operator set its 渠道邀请码: taobao-channel.ts).
 */
export async function positionSources(db: Q): Promise<{ id: string; name: string; platform: string | null; channelRegistration: boolean }[]> {
  const rows = await db
    .selectFrom('sources')
    .leftJoin('source_connections', 'source_connections.source_id', 'sources.id')
    .select(['sources.id', 'sources.name', 'sources.platform', 'source_connections.inviter_code'])
    .where('sources.kind', '=', 'platform')
    .where('sources.enabled', '=', 1)
    .orderBy('sources.name')
    .orderBy('sources.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, platform: r.platform, channelRegistration: r.platform === 'taobao' && !!r.inviter_code }));
}

/**
 * Removes one of the creator's position ids (a mistyped pid would make every PDD link of theirs
 * fail). Orders already credited through it stay credited; later ones no longer find it. Returns
 * the position removed.
 */
export async function removePosition(db: Q, creator: User, subId: string): Promise<Position> {
  if (creator.role !== 'creator') throw new Forbidden();
  const removed = await db.deleteFrom('positions').where('sub_id', '=', subId).where('creator_id', '=', creator.id).returningAll().executeTakeFirst();
  if (!removed) throw new NotFound('position');
  return removed;
}
