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
// Once the WAL is long enough to start over, passes follow each other closely, so that what is
// left to copy when the server's connection pauses for it is only what was committed since.
let timer;
const checkpoint = () => {
  let next = workerData.everyMs;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result.log >= workerData.restartFrames) {
      next = 5;
      if (result.busy === 0) Atomics.store(workerData.restartDue, 0, 1);
    }
  } catch (error) { parentPort.postMessage({ error: String(error) }); }
  return next;
};
const tick = () => { timer = setTimeout(tick, checkpoint()); };
timer = setTimeout(tick, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message.stallMs !== undefined) {
    // For tests: the worker's thread blocked (as by a disk that stalls its fsync), answering nothing.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, message.stallMs);
    return;
  }
  clearTimeout(timer);
  if (message.finish !== undefined) {
    // The server's connection is between transactions and waits for this: copy the rest, so
    // that its next transaction starts the WAL over.
    let done = false;
    try {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)');
      done = result.busy === 0 && result.checkpointed === result.log;
    } catch (error) { parentPort.postMessage({ error: String(error) }); }
    if (done) Atomics.store(workerData.restartDue, 0, 0);
    parentPort.postMessage({ finished: done, finish: message.finish });
    timer = setTimeout(tick, workerData.everyMs);
    return;
  }
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * WAL frames (pages) past which the WAL is started over from its beginning: 65,536 pages of 4 KiB,
 * 256 MiB. Each start-over costs the server's connection a wait for the last transactions' pages
 * to be copied (20–110 ms in the orders bench: the worker notices the WAL is past this only at its
 * next pass, a few transactions later); the WAL's length does not slow page lookups (they
 * skip what is copied), as long as the file is not cut back and regrown each time, which
 * `journal_size_limit` (connection.ts) is set above this for. See `startBackgroundCheckpoints`.
 */
const RESTART_FRAMES = 65_536;

/** How long a transaction waits for the worker to copy the rest of a long WAL before copying it here. */
const FINISH_WAIT_MS = 2000;

/**
 * Moves SQLite's WAL checkpoints off the event loop (server processes). By default the connection
 * that commits runs a checkpoint once the WAL passes 1,000 pages: it copies pages into the
 * database and fsyncs, which on a busy disk stalls every request for tens of milliseconds. With
 * this, the server's connection only appends to the WAL (still durable against a killed process
 * with synchronous=NORMAL) and a worker thread checkpoints. Returns `stop`, which checkpoints once
 * more and gives the job back to the server's connection.
 *
 * A checkpoint copies the WAL into the database but does not shorten it: SQLite starts the WAL
 * over only when a write transaction begins while every frame has been copied. Under a steady
 * stream of writes that never happens — a transaction commits while the worker copies — and the WAL
 * grew without end (a gigabyte per 100,000 order events in the orders bench), each page lookup
 * slower than the last. So once the worker has copied a WAL of more than RESTART_FRAMES, the
 * server's connection, just before its next transaction begins, waits (without holding the event
 * loop) while the worker copies what was committed since; with nothing left to copy, that
 * transaction starts the WAL over. The server's connection used to copy it itself: a few
 * transactions' pages and two fsyncs, which held the event loop for 20–120 ms every fifth order
 * delivery. If the worker does not answer within FINISH_WAIT_MS (`finishWaitMs`), it copies them itself, as then.
 */
export interface BackgroundCheckpoints {
  /** Checkpoints once more and gives the job back to the server's connection. */
  (): Promise<void>;
  /** For tests: blocks the worker's thread for `ms`, as a stalled disk would; it answers nothing meanwhile. */
  stallWorker(ms: number): void;
  /**
   * How often the server's connection has waited, between transactions, for the WAL to be copied
   * so it could start over, and for how long in all: time its event loop had nothing to do if
   * transactions were queued (the orders bench reports it).
   */
  restartWaits(): { waits: number; waitedMs: number };
}

export function startBackgroundCheckpoints(
  db: Db,
  options: { everyMs?: number; restartFrames?: number; finishWaitMs?: number; onError?: (message: string) => void } = {},
): BackgroundCheckpoints {
  const database = db.sqlite;
  if (!database || database.memory) return Object.assign(async () => undefined, { stallWorker: () => undefined, restartWaits: () => ({ waits: 0, waitedMs: 0 }) });
  // Set by the worker, read and cleared here: shared memory rather than a message, which a
  // server busy with one transaction after another may not get to for a long while.
  const restartDue = new Int32Array(new SharedArrayBuffer(4));
  const workerData = { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path: database.name, everyMs: options.everyMs ?? 250, restartFrames: options.restartFrames ?? RESTART_FRAMES, restartDue };
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData });
  database.pragma('wal_autocheckpoint = 0');
  const hooks = db.sqliteHooks;
  // While the server's connection waits for the worker to copy the rest of the WAL: the wait,
  // and what ends it (the worker's answer, its end, or FINISH_WAIT_MS after copying here).
  let finishing: Promise<void> | null = null;
  let endFinishing: (() => void) | null = null;
  let stopping = false;
  // Which request to finish is awaited: an answer that comes after its wait timed out ends nothing.
  let asked = 0;
  const waited = { waits: 0, waitedMs: 0 };
  const copyHere = () => {
    try {
      const [result] = database.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      // Busy: the worker is checkpointing right now; the next transaction tries again.
      if (result!.busy === 0 && result!.checkpointed === result!.log) Atomics.store(restartDue, 0, 0);
    } catch (error) {
      // The transaction waiting for this goes on regardless: the WAL is started over another time.
      options.onError?.(String(error));
    }
  };
  if (hooks) {
    hooks.beforeTransaction = () => {
      if (Atomics.load(restartDue, 0) === 0) return;
      finishing ??= new Promise<void>((resolve) => {
        const since = performance.now();
        waited.waits += 1;
        const timeout = setTimeout(() => {
          if (database.open) copyHere();
          endFinishing?.();
        }, options.finishWaitMs ?? FINISH_WAIT_MS);
        endFinishing = () => {
          clearTimeout(timeout);
          waited.waitedMs += performance.now() - since;
          if (!stopping) worker.unref();
          finishing = null;
          endFinishing = null;
          resolve();
        };
        worker.ref(); // an answer is awaited
        worker.postMessage({ finish: ++asked });
      });
      return finishing;
    };
  }
  const settleFinishing = () => endFinishing?.();
  const restoreAutoCheckpoint = () => {
    if (hooks) hooks.beforeTransaction = undefined;
    settleFinishing();
    if (database.open) database.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('message', (message: { error?: string; finished?: boolean; finish?: number }) => {
    if (message.error !== undefined) options.onError?.(message.error);
    if (message.finished !== undefined && message.finish === asked) settleFinishing();
  });
  worker.on('error', (error) => {
    restoreAutoCheckpoint(); // the worker is gone: the server's connection checkpoints again
    options.onError?.(String(error));
  });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.unref();
  const stop = async () => {
    stopping = true;
    worker.ref(); // keep the process alive until the last checkpoint is done
    worker.postMessage('stop');
    await exited;
    restoreAutoCheckpoint();
  };
  return Object.assign(stop, { stallWorker: (ms: number) => worker.postMessage({ stallMs: ms }), restartWaits: () => ({ ...waited }) });
}
