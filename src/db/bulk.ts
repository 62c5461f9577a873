import type SQLite from 'better-sqlite3';
import { CompiledQuery, sql, type Insertable, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { isPostgres } from './dialect.ts';
import { preparedText } from './prepared.ts';
import type { Database } from './schema.ts';

/**
 * Many-row writes on the ingestion hot path. On SQLite, prepared statements per table of a fixed
 * width, reused: compiling and preparing a multi-row INSERT of whatever size a list has cost more
 * than inserting it. On PostgreSQL, where every statement is a round trip, multi-row statements,
 * also of fixed widths and prepared once per connection (`db/prepared.ts`): the server parsed and
 * planned a 500-row statement again on every run.
 */

/** Carries the raw better-sqlite3 handle on a Kysely instance, and so on every transaction made from it. */
export class SqliteHandle implements KyselyPlugin {
  constructor(readonly database: SQLite.Database) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * The raw handle, only inside a SQLite transaction: there Kysely holds the one connection for the
 * caller, so a statement run on the handle is part of the caller's transaction and of nothing else.
 */
function sqliteOf(db: Kysely<Database>): SQLite.Database | undefined {
  if (!db.isTransaction) return undefined;
  return db.getExecutor().plugins.find((p): p is SqliteHandle => p instanceof SqliteHandle)?.database;
}

const statements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/** Statements kept per connection: `selectRows` prepares one per length of an IN list. */
const CACHED_STATEMENTS = 1024;

function prepared(database: SQLite.Database, text: string): SQLite.Statement {
  let cache = statements.get(database);
  if (cache === undefined) statements.set(database, (cache = new Map()));
  let statement = cache.get(text);
  if (statement === undefined) {
    cache.set(text, (statement = database.prepare(text)));
    if (cache.size > CACHED_STATEMENTS) cache.delete(cache.keys().next().value!);
  }
  return statement;
}

/** Rows per multi-row statement on PostgreSQL: well under its 65,535 bound parameters. */
const ROWS_PER_STATEMENT = 500;

/**
 * Rows per statement on SQLite: a fixed width, so the statement is prepared once and reused;
 * each run crosses into SQLite once for 32 rows (a third less time per row than one run per row
 * for small rows), and the widest table stays far below SQLite's 32,766 bound parameters. The
 * rest of a list goes one row per run.
 */
const SQLITE_ROWS_PER_STATEMENT = 32;

/**
 * Values go to better-sqlite3 as arguments (`run(...values)`), not as one array: it reads an
 * array's elements through V8's API, one generic lookup each (~430 instructions a value, 3.7% of
 * the event loop in the orders bench by callgrind), and an argument directly. An argument that is
 * an array or a plain object it would take for a list or for named parameters, so a list holding
 * one (a caller's mistake) goes as an array, refused as before.
 */
function asArguments(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) return false;
  }
  return true;
}

/** `statement.run` with `values` bound as `asArguments` says, then the named parameters if any. */
function runWith(statement: SQLite.Statement, values: unknown[], named?: Record<string, unknown>): SQLite.RunResult {
  if (asArguments(values)) return named === undefined ? statement.run(...values) : statement.run(...values, named);
  return named === undefined ? statement.run(values) : statement.run(values, named);
}

export interface Upsert<C extends string> {
  /** The unique key a row may already exist under. */
  conflict: readonly C[];
  /** Columns that take the new row's value when it does. */
  update: readonly C[];
  /** Text columns to which the new row's value is appended when it does. */
  append?: readonly C[];
}

/**
 * Inserts rows (all with the same columns) in the caller's transaction; with `upsert`, a row
 * whose key exists rewrites the listed columns instead.
 */
export async function insertRows<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  upsert?: Upsert<keyof Database[T] & string>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const sqlite = sqliteOf(db);
  if (sqlite !== undefined) {
    const sets = upsert ? [...upsert.update.map((c) => `${quoted(c)} = excluded.${quoted(c)}`), ...(upsert.append ?? []).map((c) => `${quoted(c)} = ${quoted(table)}.${quoted(c)} || excluded.${quoted(c)}`)] : [];
    const conflict = upsert ? ` on conflict (${upsert.conflict.map(quoted).join(', ')}) do update set ${sets.join(', ')}` : '';
    // `shared`: columns bound once per run as a named parameter, the others once per row.
    const statementOf = (n: number, shared: ReadonlySet<string>) => {
      const tuple = `(${columns.map((c, i) => (shared.has(c) ? `@s${i}` : '?')).join(', ')})`;
      return prepared(sqlite, `insert into ${quoted(table)} (${columns.map(quoted).join(', ')}) values ${Array.from({ length: n }, () => tuple).join(', ')}${conflict}`);
    };
    let at = 0;
    if (rows.length >= SQLITE_ROWS_PER_STATEMENT) {
      const shared = sharedValues(rows as readonly Record<string, unknown>[], columns);
      const many = statementOf(SQLITE_ROWS_PER_STATEMENT, shared.columns);
      const varying = columns.filter((c) => !shared.columns.has(c));
      const fill = valuesFiller(varying);
      const values: unknown[] = new Array(SQLITE_ROWS_PER_STATEMENT * varying.length);
      for (; at + SQLITE_ROWS_PER_STATEMENT <= rows.length; at += SQLITE_ROWS_PER_STATEMENT) {
        fill(rows, at, SQLITE_ROWS_PER_STATEMENT, values);
        if (varying.length === 0) many.run(shared.named);
        else runWith(many, values, shared.named);
      }
    }
    if (at < rows.length) {
      const one = statementOf(1, new Set());
      const fill = valuesFiller(columns);
      const values: unknown[] = new Array(columns.length);
      for (; at < rows.length; at++) {
        fill(rows, at, 1, values);
        runWith(one, values);
      }
    }
    return;
  }
  if (!isPostgres(db)) {
    // SQLite outside a transaction (no raw handle to use): as Kysely compiles it.
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      // The table is chosen by the caller at run time, beyond what Kysely's types can follow.
      const query = (db as Kysely<any>).insertInto(table as string).values(rows.slice(i, i + ROWS_PER_STATEMENT));
      const sets = (eb: { ref: (r: string) => unknown }) =>
        Object.fromEntries([
          ...(upsert?.update ?? []).map((c) => [c, eb.ref(`excluded.${c as string}`)]),
          ...(upsert?.append ?? []).map((c) => [c, sql`${sql.ref(`${table}.${c as string}`)} || ${sql.ref(`excluded.${c as string}`)}`]),
        ]);
      await (upsert ? query.onConflict((oc) => oc.columns([...upsert.conflict]).doUpdateSet(sets as never)) : query).execute();
    }
    return;
  }
  // PostgreSQL: statements of fixed widths (PG_WIDTHS), each text prepared once per connection
  // (`preparedText`), values bound as one flat list; the rest of a list at the next width down.
  const conflict = upsert
    ? ` on conflict (${upsert.conflict.map(quoted).join(', ')}) do update set ${[
        ...upsert.update.map((c) => `${quoted(c)} = excluded.${quoted(c)}`),
        ...(upsert.append ?? []).map((c) => `${quoted(c)} = ${quoted(table)}.${quoted(c)} || excluded.${quoted(c)}`),
      ].join(', ')}`
    : '';
  const fill = valuesFiller(columns);
  let at = 0;
  for (const width of PG_WIDTHS) {
    if (rows.length - at < width) continue;
    const text = preparedText(`insert into ${quoted(table)} (${columns.map(quoted).join(', ')}) values ${pgTuples(width, columns.length)}${conflict}`);
    for (; at + width <= rows.length; at += width) {
      // Kysely freezes a compiled query's parameters: a list per statement.
      const values: unknown[] = new Array(width * columns.length);
      fill(rows, at, width, values);
      await db.executeQuery(CompiledQuery.raw(text, values));
    }
  }
}

/**
 * The columns whose value is the same in every row (the delivery's source, the instant it was
 * written, a currency): on SQLite each is bound once per statement of 32 rows, as a named
 * parameter every row refers to, rather than once per row. A text parameter costs better-sqlite3
 * a conversion and two copies (~160 ns here), so these were a fifth of what an order delivery bound.
 * Named `s` and the column's position: column names are not all valid parameter names.
 */
function sharedValues(rows: readonly Record<string, unknown>[], columns: readonly string[]): { columns: Set<string>; named: Record<string, unknown> } {
  const shared = new Set<string>();
  const named: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    const value = rows[0]![c];
    for (let r = 1; r < rows.length; r++) if (rows[r]![c] !== value) return;
    shared.add(c);
    named[`s${i}`] = value;
  });
  return { columns: shared, named };
}

/** Rows per statement on PostgreSQL, widest first; the last is 1, so every list is written. */
const PG_WIDTHS = [100, 10, 1] as const;

const tupleLists = new Map<string, string>();

/** `($1, $2), ($3, $4)` for `rows` rows of `columns` values. */
function pgTuples(rows: number, columns: number): string {
  const key = `${rows} ${columns}`;
  let text = tupleLists.get(key);
  if (text === undefined) {
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) tuples.push(`(${Array.from({ length: columns }, (_, c) => `$${r * columns + c + 1}`).join(', ')})`);
    tupleLists.set(key, (text = tuples.join(', ')));
  }
  return text;
}

/**
 * Rewrites `columns` of rows that exist, found by `key`, in the caller's transaction, and appends
 * the rows' values of the text columns `append` to what those hold. On SQLite one
 * prepared UPDATE per row, binding only those columns: an upsert of the whole row binds them all
 * and tries an insert first. On PostgreSQL, multi-row upserts (a round trip per statement matters
 * more there), which the rows' other columns make valid inserts.
 */
export async function updateRows<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  key: keyof Database[T] & string,
  columns: readonly (keyof Database[T] & string)[],
  rows: readonly Insertable<Database[T]>[],
  append: readonly (keyof Database[T] & string)[] = [],
): Promise<void> {
  if (rows.length === 0) return;
  const sqlite = sqliteOf(db);
  if (sqlite === undefined) return insertRows(db, table, rows, { conflict: [key], update: columns, append });
  const sets = [...columns.map((c) => `${quoted(c)} = ?`), ...append.map((c) => `${quoted(c)} = ${quoted(c)} || ?`)];
  const update = prepared(sqlite, `update ${quoted(table)} set ${sets.join(', ')} where ${quoted(key)} = ?`);
  const fill = valuesFiller([...columns, ...append, key]);
  const values: unknown[] = new Array(columns.length + append.length + 1);
  for (let r = 0; r < rows.length; r++) {
    fill(rows, r, 1, values);
    runWith(update, values);
  }
}

type Filler = (rows: readonly object[], at: number, count: number, out: unknown[]) => void;
const fillers = new Map<string, Filler>();

/**
 * A function copying `columns` of rows `at` to `at + count - 1` into `out`, row after row: one
 * property read per column written out, each site seeing one shape of row, where a loop over the
 * column names read every value through the engine's generic (megamorphic) lookup, ~1.3% of the
 * event loop in the orders bench.
 */
function valuesFiller(columns: readonly string[]): Filler {
  const key = columns.join('\u0000');
  let fill = fillers.get(key);
  if (fill === undefined) {
    // Column names are our own tables' (the rows' keys), written as JSON strings.
    const reads = columns.map((c) => `out[v++] = row[${JSON.stringify(c)}];`).join(' ');
    fill = new Function('rows', 'at', 'count', 'out', `let v = 0; for (let r = at; r < at + count; r++) { const row = rows[r]; ${reads} }`) as Filler;
    fillers.set(key, fill);
  }
  return fill;
}

const makers = new Map<string, (row: unknown[]) => object>();

/** A function making an object of a row's values in `columns`' order: a literal, one shape for every row. */
function objectMaker(columns: readonly string[]): (row: unknown[]) => object {
  const key = columns.join('\u0000');
  let make = makers.get(key);
  if (make === undefined) {
    // Column names are the query's own (Kysely's compiled select list), written as JSON strings.
    make = new Function('r', `return { ${columns.map((c, i) => `${JSON.stringify(c)}: r[${i}]`).join(', ')} };`) as (row: unknown[]) => object;
    makers.set(key, make);
  }
  return make;
}

/**
 * Runs a select in the caller's transaction and returns its rows. On SQLite, many rows read
 * faster as arrays made into objects here (one literal shape) than as the objects better-sqlite3
 * builds a property at a time; elsewhere, as Kysely runs it.
 */
export async function selectRows<R>(db: Kysely<Database>, query: { compile(): CompiledQuery<R> }): Promise<R[]> {
  const compiled = query.compile();
  const sqlite = sqliteOf(db);
  if (sqlite === undefined) return (await db.executeQuery(compiled)).rows;
  const statement = prepared(sqlite, compiled.sql);
  const make = objectMaker(statement.columns().map((c) => c.name));
  const parameters = compiled.parameters as unknown[];
  return ((asArguments(parameters) ? statement.raw(true).all(...parameters) : statement.raw(true).all(parameters)) as unknown[][]).map((row) => make(row) as R);
}

/** Keys per run of `updateWhereKeyIn`'s prepared statement on SQLite. */
const SQLITE_KEYS_PER_STATEMENT = 100;

type Scalar = string | number | null;

/**
 * Sets the same values on every row whose `key` is one of `keys` (and whose `only` columns hold
 * those values), in the caller's transaction; returns how many rows changed. On SQLite one
 * prepared statement of 100 keys, run per hundred (the last padded with nulls, which match
 * nothing): compiling a statement of a thousand keys each time cost as much as running it. On
 * PostgreSQL one statement per 500 keys.
 */
export async function updateWhereKeyIn<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  key: keyof Database[T] & string,
  keys: readonly Scalar[],
  set: Partial<Record<keyof Database[T] & string, Scalar>>,
  only: Partial<Record<keyof Database[T] & string, Scalar>> = {},
): Promise<number> {
  if (keys.length === 0) return 0;
  const sets = Object.entries(set) as [string, Scalar][];
  const conditions = Object.entries(only) as [string, Scalar][];
  const sqlite = sqliteOf(db);
  if (sqlite === undefined) {
    let changed = 0;
    for (const chunk of chunked(keys)) {
      // The table is chosen by the caller at run time, beyond what Kysely's types can follow.
      let query = (db as Kysely<any>).updateTable(table as string).set(Object.fromEntries(sets)).where(key as string, 'in', chunk);
      for (const [column, value] of conditions) query = query.where(column as string, '=', value);
      changed += Number((await query.executeTakeFirst()).numUpdatedRows);
    }
    return changed;
  }
  const placeholders = Array.from({ length: SQLITE_KEYS_PER_STATEMENT }, () => '?').join(', ');
  const statement = prepared(
    sqlite,
    `update ${quoted(table)} set ${sets.map(([c]) => `${quoted(c)} = ?`).join(', ')} where ${quoted(key)} in (${placeholders})${conditions.map(([c]) => ` and ${quoted(c)} = ?`).join('')}`,
  );
  const values: Scalar[] = new Array(sets.length + SQLITE_KEYS_PER_STATEMENT + conditions.length);
  sets.forEach(([, value], i) => (values[i] = value));
  conditions.forEach(([, value], i) => (values[sets.length + SQLITE_KEYS_PER_STATEMENT + i] = value));
  let changed = 0;
  for (let at = 0; at < keys.length; at += SQLITE_KEYS_PER_STATEMENT) {
    for (let i = 0; i < SQLITE_KEYS_PER_STATEMENT; i++) values[sets.length + i] = keys[at + i] ?? null;
    changed += runWith(statement, values).changes;
  }
  return changed;
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** Splits rows into lists of at most `size` (default: what one statement or IN list may carry). */
export function chunked<T>(rows: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
