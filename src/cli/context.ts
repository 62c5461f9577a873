import { loadConfig, type Config } from '../core/config.ts';
import { openDb, type Db } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { ClickInbox } from '../modules/links/click-inbox.ts';

/** Runs a command on the configured database, its schema brought up to date first (`migrated`: what that applied). */
export async function withDb<T>(run: (db: Db, config: Config, migrated: string[]) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = openDb(config.databaseUrl);
  try {
    const migrated = await migrateToLatest(db.kysely);
    await ClickInbox.moveLeftovers(db);
    return await run(db, config, migrated);
  } finally {
    await db.close();
  }
}

/** Every command that creates or reports something ends with one JSON line on stdout. */
export function printResult(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}
