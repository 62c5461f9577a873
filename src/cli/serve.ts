import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig, parsePort } from '../core/config.ts';
import { startBackgroundCheckpoints } from '../db/checkpointer.ts';
import { startLedgerScheduler } from '../jobs/ledger.ts';
import { openDb } from '../db/connection.ts';
import { loadWalBuffer } from '../db/walbuffer.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { buildApp } from '../http/app.ts';
import { openAppContext } from '../http/context.ts';
import { startSyncScheduler } from '../jobs/sync.ts';
import { consoleBuildIsStale, webBuilt } from '../http/web.ts';
import { countUsers } from '../modules/accounts/service.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, fillDemo } from '../modules/demo/service.ts';
import { log } from './context.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The console is built on the first start of a fresh clone, and again once its files changed (a pull); never committed. */
function ensureConsoleBuilt(): void {
  if (!consoleBuildIsStale()) return;
  log(webBuilt() ? 'building the console again: its files changed since it was built …' : 'building the console (first start) …');
  const result = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) log('the console failed to build; the API still runs (see the output above)');
}

export async function serve(options: { port?: string; demo?: boolean }): Promise<void> {
  const config = loadConfig();
  if (options.port !== undefined) config.port = parsePort(options.port);
  ensureConsoleBuilt();
  const db = openDb(config.databaseUrl);
  if (db.dialect === 'sqlite') {
    const walBuffer = loadWalBuffer();
    if (!walBuffer.loaded) log(`SQLite WAL writes unbuffered: walbuffer ${walBuffer.reason}`);
  }
  await migrateToLatest(db.kysely);
  const seeded = options.demo !== false && (await countUsers(db.kysely)) === 0;
  if (seeded) {
    log('empty database: filling it with the demo alliance …');
    await fillDemo(db.kysely);
  }
  const started = Date.now();
  const ctx = await openAppContext(db, config);
  log(`pool index: ${ctx.pool.index.size.toLocaleString('en')} products in ${Date.now() - started} ms`);
  ctx.pool.followImports();
  const stopSync = startSyncScheduler(db.kysely, ctx.pool, log);
  const stopLedger = startLedgerScheduler(db.kysely, log);
  const stopCheckpoints = startBackgroundCheckpoints(db, { onError: (message) => log(`WAL checkpoint: ${message}`) });
  const app = await buildApp(ctx);
  const address = await app.listen({ port: config.port, host: config.host });
  ctx.webhookVerifier.warm(); // the first large order delivery does not wait for the worker to start
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  log(`\nVitrine is serving ${url}  (database ${config.databaseUrl})`);
  log(`console: ${url}/   API docs: ${url}/api/docs`);
  if (seeded) {
    log(`demo logins (password "${DEMO_PASSWORD}"):`);
    for (const login of DEMO_LOGINS) log(`  ${login.role.padEnd(9)} ${login.email}`);
  }
  const shutdown = async (signal: string) => {
    log(`${signal}: shutting down`);
    stopSync();
    stopLedger();
    ctx.pool.stopFollowing();
    await app.close();
    await stopCheckpoints();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
