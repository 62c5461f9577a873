import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { beforeSqliteTransaction, type Db } from '../../db/connection.ts';
import type { ClickRow } from './model.ts';
import { CLICK_COLUMNS, sqliteClickInsert, sqliteClickInserts, type ClickWriter } from './store.ts';

/**
 * SQLite, a database file: clicks that come while a transaction is open on the main connection
 * are committed to an inbox, a database file of its own beside the main one (`<file>-clicks`) on a
 * connection of its own, and moved into `clicks` by the main connection as soon as it is free.
 * Clicks that come while it is free are written straight into `clicks`.
 *
 * SQLite has one writer per file. Written straight into `clicks`, a redirect's click waited for
 * Kysely's one connection, so for every transaction in progress: a webhook delivery of 1,000
 * order events, a settlement batch, an import. With the inbox a redirect waits only for its own
 * commit, to a file no one else writes. Durability is the same (a commit to a WAL with
 * synchronous=NORMAL): a click in the inbox survives a killed process and is moved when the
 * server next starts.
 *
 * The move is queued on Kysely's connection when clicks are committed, and the connection serves
 * its callers in turn, so whatever reads the database after a redirect was answered (an order's
 * attribution, a dashboard) finds its click in `clicks`, except a transaction that was already
 * open when the click came in. A move re-run after a crash between its two steps (insert into
 * `clicks`, then delete from the inbox) skips the clicks already there by id.
 */
export class ClickInbox {
  readonly #db: Db;
  readonly #main: SQLite.Database;
  readonly #inbox: SQLite.Database;
  readonly #onError: (error: unknown) => void;
  readonly #insertAll: SQLite.Transaction<(rows: readonly ClickRow[]) => void>;
  readonly #insertMain: SQLite.Transaction<(rows: readonly ClickRow[]) => void>;
  readonly #waiting: SQLite.Statement<[]>;
  readonly #deleteUpTo: SQLite.Statement<[number]>;
  readonly #moveIn: SQLite.Transaction<(rows: readonly unknown[][]) => void>;
  /** Clicks committed to the inbox and not known to be moved. */
  #unmoved = 0;
  #queued: Promise<void> | null = null;
  #closed = false;

  private constructor(db: Db, path: string, onError: (error: unknown) => void) {
    this.#db = db;
    this.#main = db.sqlite!;
    this.#onError = onError;
    const inbox = new SQLite(path);
    inbox.pragma('journal_mode = WAL');
    inbox.pragma('synchronous = NORMAL');
    inbox.pragma('busy_timeout = 5000');
    inbox.exec(`create table if not exists clicks (${CLICK_COLUMNS.join(', ')})`);
    this.#insertAll = sqliteClickInserts(inbox);
    this.#insertMain = sqliteClickInserts(this.#main);
    this.#waiting = inbox.prepare(`select ${CLICK_COLUMNS.join(', ')}, rowid from clicks order by rowid`).raw();
    this.#deleteUpTo = inbox.prepare('delete from clicks where rowid <= ?');
    this.#inbox = inbox;
    // The main connection never attaches the inbox: its transactions begin `immediate`, which
    // takes the write lock of every attached database, and the inbox would wait for them again.
    const moveOne = sqliteClickInsert(this.#main, ' on conflict (id) do nothing');
    this.#moveIn = this.#main.transaction((rows: readonly unknown[][]) => {
      for (const row of rows) moveOne.run(row.slice(0, CLICK_COLUMNS.length));
    });
  }

  /**
   * The inbox of a database file (null for an in-memory database or PostgreSQL, where clicks are
   * written straight into `clicks`). Clicks a killed process left in it are moved before this
   * resolves.
   */
  static async open(db: Db, options: { onError?: (error: unknown) => void } = {}): Promise<ClickInbox | null> {
    const main = db.sqlite;
    if (!main || main.memory) return null;
    const inbox = new ClickInbox(db, `${main.name}-clicks`, options.onError ?? (() => undefined));
    try {
      await db.kysely.connection().execute(async () => await inbox.#move());
    } catch (error) {
      inbox.#inbox.close();
      throw error;
    }
    return inbox;
  }

  /**
   * Moves what a killed server left in the inbox, if there is an inbox file (the CLI, before a
   * command: what it reads then includes every click whose redirect was answered).
   */
  static async moveLeftovers(db: Db): Promise<void> {
    const main = db.sqlite;
    if (!main || main.memory || !existsSync(`${main.name}-clicks`)) return;
    await (await ClickInbox.open(db))?.close();
  }

  /**
   * Commits clicks (resolves once they are durable): straight into `clicks` when no transaction is
   * open on the main connection — one commit, as without an inbox — else into the inbox, and
   * queues their move.
   */
  readonly write: ClickWriter = async (rows) => {
    if (this.#closed) throw new Error('the click inbox is closed');
    // Statements on this thread run one at a time: with no transaction open, this one can land
    // in no one else's. The hook lets the WAL start over under steady writes (checkpointer.ts);
    // when it asks the main connection to wait for that, the clicks go to the inbox meanwhile.
    if (!this.#main.inTransaction && !this.#db.sqliteHooks?.beforeTransaction?.()) {
      this.#insertMain.immediate(rows);
      return;
    }
    this.#insertAll.immediate(rows);
    this.#unmoved += rows.length;
    this.#queueMove();
  };

  /** Clicks committed to the inbox and not moved yet. */
  get unmoved(): number {
    return this.#unmoved;
  }

  /** Moves what is left and closes the inbox. Call after the last write. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queued;
    try {
      await this.#db.kysely.connection().execute(async () => await this.#move());
    } finally {
      this.#inbox.close();
    }
  }

  #queueMove(): void {
    if (this.#queued) return;
    this.#queued = this.#db.kysely
      .connection()
      .execute(async () => {
        this.#queued = null;
        await this.#move();
      })
      .catch((error: unknown) => {
        this.#queued = null;
        this.#onError(error);
      });
  }

  /** With Kysely's connection held and no transaction open on it. */
  async #move(): Promise<void> {
    await beforeSqliteTransaction(this.#db.sqliteHooks);
    if (this.#main.inTransaction) throw new Error('the SQLite connection is inside a transaction; clicks are not moved into it');
    const rows = this.#waiting.all() as unknown[][];
    if (rows.length > 0) {
      this.#moveIn.immediate(rows);
      this.#deleteUpTo.run(rows[rows.length - 1]![CLICK_COLUMNS.length] as number);
    }
    // Both connections are on this thread and used synchronously: nothing was written meanwhile.
    this.#unmoved = 0;
  }
}
