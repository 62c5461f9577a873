import { open } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Makes a SQLite file's commits survive a power loss before anyone is told they happened.
 *
 * With `synchronous = NORMAL` in WAL mode a commit is written to the WAL but not synced: it
 * survives the process being killed, not the machine losing power. Syncing at every commit
 * (`synchronous = FULL`) would stop the event loop for the fsync, since better-sqlite3 runs on
 * it. Instead, whatever answers a writer (an HTTP response to a POST, a CLI command ending) first
 * awaits `durable()`: an fdatasync of the WAL file on libuv's thread pool, begun after the call.
 * Callers that come while one is running share the next: one sync for all the commits of the
 * moment (a group commit). An fsync flushes the file whichever descriptor wrote it, so the WAL is
 * opened anew for each sync, and never held open across its deletion by SQLite.
 */
export class WalSync {
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;
  #directorySynced = false;
  #completed = 0;

  constructor(private readonly walPath: string) {}

  /** Syncs done so far. */
  get completed(): number {
    return this.#completed;
  }

  /** Resolves once every commit made before the call is on disk; rejects if the sync failed. */
  durable(): Promise<void> {
    if (this.#running === null) return this.#start();
    // The running sync may have begun before the caller's commit: the next one is begun after it.
    this.#queued ??= this.#running.then(
      () => this.#next(),
      () => this.#next(),
    );
    return this.#queued;
  }

  #next(): Promise<void> {
    this.#queued = null;
    return this.#start();
  }

  #start(): Promise<void> {
    const run = this.#sync().finally(() => {
      if (this.#running === run) this.#running = null;
    });
    this.#running = run;
    return run;
  }

  async #sync(): Promise<void> {
    let wal;
    try {
      // Opened for writing: Windows flushes a file only through a handle that may write it.
      wal = await open(this.walPath, 'r+');
    } catch (error) {
      // No WAL: every commit is in the database file, which SQLite syncs when it checkpoints.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      await wal.datasync();
    } finally {
      await wal.close();
    }
    // Windows cannot open a directory to flush it (SQLite's own Windows code does not either).
    if (!this.#directorySynced && process.platform !== 'win32') {
      // A WAL created since the database was opened is reachable after a power loss only once
      // its directory entry is on disk too.
      const directory = await open(dirname(this.walPath), 'r');
      try {
        await directory.sync();
      } finally {
        await directory.close();
      }
      this.#directorySynced = true;
    }
    this.#completed += 1;
  }
}
