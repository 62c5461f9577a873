import type { Kysely } from 'kysely';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../../core/errors.ts';
import { nowIso } from '../../core/time.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { Database, PositionsTable } from '../../db/schema.ts';
import type { User } from '../accounts/model.ts';

type Q = Kysely<Database>;

/**
 * A creator's position ids at the sources (PDD pid, JD positionId / subUnionId, Taobao
 * relation_id or adzone_id): the platform issues them, the creator records them here, and an
 * order that comes back without a usable click id is credited through them (attribution rule 4).
 */
export async function positionsOf(db: Q, creator: User): Promise<PositionsTable[]> {
  if (creator.role !== 'creator') throw new Forbidden();
  return db.selectFrom('positions').selectAll().where('creator_id', '=', creator.id).orderBy('created_at').execute();
}

export async function addPosition(db: Q, creator: User, input: { subId: string; sourceId?: string | null; label?: string | null }): Promise<PositionsTable> {
  if (creator.role !== 'creator') throw new Forbidden();
  const subId = input.subId.trim();
  if (!/^[A-Za-z0-9_\-.]{1,64}$/.test(subId)) throw new InvalidInput('invalid_sub_id', 'sub_id is 1-64 letters, digits, _ - or .');
  if (input.sourceId) {
    const source = await db.selectFrom('sources').select('id').where('id', '=', input.sourceId).executeTakeFirst();
    if (!source) throw new NotFound('source');
  }
  const row: PositionsTable = { sub_id: subId, creator_id: creator.id, source_id: input.sourceId ?? null, label: input.label?.trim() || null, created_at: nowIso() };
  try {
    await db.insertInto('positions').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict('sub_id_taken', `position ${subId} is already registered`);
    throw error;
  }
  return row;
}

/** The platform sources a creator may record a position id for (the console's choice). */
export async function positionSources(db: Q): Promise<{ id: string; name: string; platform: string | null }[]> {
  return db.selectFrom('sources').select(['id', 'name', 'platform']).where('kind', '=', 'platform').where('enabled', '=', 1).orderBy('name').orderBy('id').execute();
}

/**
 * Removes one of the creator's position ids (a mistyped pid would make every PDD link of theirs
 * fail). Orders already credited through it stay credited; later ones no longer find it.
 */
export async function removePosition(db: Q, creator: User, subId: string): Promise<void> {
  if (creator.role !== 'creator') throw new Forbidden();
  const result = await db.deleteFrom('positions').where('sub_id', '=', subId).where('creator_id', '=', creator.id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new NotFound('position');
}
