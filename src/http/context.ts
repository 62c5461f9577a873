import type { Config } from '../core/config.ts';
import type { Db } from '../db/connection.ts';

/** What every route module is handed: the database and the configuration. */
export interface AppContext {
  db: Db;
  config: Config;
}
