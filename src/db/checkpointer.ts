import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './connection.ts';

/**
 * The worker's code, plain CommonJS so it needs no TypeScript loader: its own connection to the
 * same file, checkpointing the WAL every few hundred milliseconds.
 */
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;

/**
 * Moves SQLite's WAL checkpoints off the event loop (server processes). By default the connection
 * that commits runs a checkpoint once the WAL passes 1,000 pages: it copies pages into the
 * database and fsyncs, which on a busy disk stalls every request for tens of milliseconds. With
 * this, the server's connection only appends to the WAL (still durable against a killed process
 * with synchronous=NORMAL) and a worker thread checkpoints. Returns `stop`, which checkpoints once
 * more and gives the job back to the server's connection.
 */
export function startBackgroundCheckpoints(db: Db, options: { everyMs?: number; onError?: (message: string) => void } = {}): () => Promise<void> {
  const database = db.sqlite;
  if (!database || database.memory) return async () => undefined;
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path: database.name, everyMs: options.everyMs ?? 250 } });
  database.pragma('wal_autocheckpoint = 0');
  const restoreAutoCheckpoint = () => {
    if (database.open) database.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('message', (message: string) => options.onError?.(message));
  worker.on('error', (error) => {
    restoreAutoCheckpoint(); // the worker is gone: the server's connection checkpoints again
    options.onError?.(String(error));
  });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.unref();
  return async () => {
    worker.ref(); // keep the process alive until the last checkpoint is done
    worker.postMessage('stop');
    await exited;
    restoreAutoCheckpoint();
  };
}
