import type { Kysely } from 'kysely';
import { newId } from '../../core/ids.ts';
import { nowIso } from '../../core/time.ts';
import type { Database } from '../../db/schema.ts';

/** Appends to the audit log; called inside the same transaction as the change it records. */
export async function recordAudit(db: Kysely<Database>, actorUserId: string | null, action: string, subjectId: string, details: Record<string, unknown>): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ id: newId('audit'), actor_user_id: actorUserId, action, subject_id: subjectId, details: JSON.stringify(details), created_at: nowIso() })
    .execute();
}

export async function auditTrailOf(db: Kysely<Database>, subjectId: string) {
  return db.selectFrom('audit_log').selectAll().where('subject_id', '=', subjectId).orderBy('id').execute();
}
