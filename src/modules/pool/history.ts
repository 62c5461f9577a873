import type { Kysely } from 'kysely';
import { NotFound } from '../../core/errors.ts';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database>;

export async function importRunsOfSource(db: Q, sourceId: string, limit = 50) {
  return db.selectFrom('import_runs').selectAll().where('source_id', '=', sourceId).orderBy('id', 'desc').limit(limit).execute();
}

export async function importRun(db: Q, importId: string) {
  const run = await db.selectFrom('import_runs').selectAll().where('id', '=', importId).executeTakeFirst();
  if (!run) throw new NotFound('import');
  return run;
}

export async function rejectionsOf(db: Q, importId: string) {
  return db.selectFrom('import_rejections').select(['row', 'reason']).where('import_id', '=', importId).orderBy('row').execute();
}
