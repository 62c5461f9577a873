import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';

/**
 * The SQLite extension of native/walbuffer.c, built by `npm install` into build/. Loaded once per
 * process, it registers a VFS as SQLite's default that gathers a transaction's WAL writes and
 * hands them to the file in a few calls at the commit frame, instead of two calls per page (an
 * order delivery: 3,200). Every SQLite file opened afterwards in the process uses it, in worker
 * threads too (one SQLite library per process). See docs/decisions.md.
 */
export const WAL_BUFFER_LIBRARY = fileURLToPath(new URL(`../../build/walbuffer.${process.platform === 'darwin' ? 'dylib' : 'so'}`, import.meta.url));

export type WalBufferState = { loaded: true } | { loaded: false; reason: string };

let state: WalBufferState | undefined;

/**
 * Loads the extension unless it is loaded already, turned off (`SQLITE_WAL_BUFFER=off`) or not
 * built; says which. Connections opened before it keep writing their WAL unbuffered.
 */
export function loadWalBuffer(): WalBufferState {
  if (state) return state;
  if (process.env.SQLITE_WAL_BUFFER === 'off') return (state = { loaded: false, reason: 'turned off (SQLITE_WAL_BUFFER=off)' });
  if (!existsSync(WAL_BUFFER_LIBRARY)) return (state = { loaded: false, reason: `not built (${WAL_BUFFER_LIBRARY}; npm install builds it with a C compiler)` });
  const probe = new SQLite(':memory:');
  try {
    probe.loadExtension(WAL_BUFFER_LIBRARY);
    state = { loaded: true };
  } catch (error) {
    state = { loaded: false, reason: `failed to load: ${(error as Error).message}` };
  } finally {
    probe.close();
  }
  return state;
}

/** What the extension has done in this process: writes gathered, and calls made to files for them. */
export function walBufferStats(database: SQLite.Database): { gathered: number; written: number } {
  return JSON.parse(database.prepare('select vitrine_walbuffer() as stats').pluck().get() as string) as { gathered: number; written: number };
}
