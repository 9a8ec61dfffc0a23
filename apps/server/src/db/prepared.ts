import { type Column, getTableColumns, getTableName, type Query, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "./client.ts";

/** What a drizzle prepared query keeps of its build: the SQL, its parameter slots, the row mapping. */
type Built = {
  query: Query;
  fields: unknown;
  joinsNotNullableMap: unknown;
  customResultMapper: unknown;
  queryMetadata: unknown;
};
type Executable<R> = { execute(values?: Record<string, unknown>): Promise<R> };
type Session = {
  prepareQuery(
    query: Query,
    fields: unknown,
    name: string,
    arrayMode: boolean,
    mapper?: unknown,
    meta?: unknown,
  ): Executable<unknown> & { joinsNotNullableMap?: unknown };
};

/**
 * A statement on the ticket write path, built by drizzle once per process and sent as a named
 * statement on any handle, the pool or a transaction (PostgreSQL parses it once per connection).
 * `build` gets a handle and returns the query with `sql.placeholder(...)` for its values; the
 * result is the same as `build(db).execute(values)` without building the SQL again
 * (bench/RESULTS.md, issue 13: drizzle's builder was about a third of the request's CPU outside
 * system calls). Only for queries whose SQL text does not depend on the values.
 */
export function prepared<R>(
  name: string,
  build: (db: DbOrTx) => { prepare(name: string): Executable<R> },
): (db: DbOrTx, values: Record<string, unknown>) => Promise<R> {
  let built: Built | undefined;
  return (db, values) => {
    if (!built) {
      const q = build(db).prepare(name) as unknown as Built;
      built = {
        query: q.query,
        fields: q.fields,
        joinsNotNullableMap: q.joinsNotNullableMap,
        customResultMapper: q.customResultMapper,
        queryMetadata: q.queryMetadata,
      };
    }
    // The driver's query object for this handle (cheap: no SQL is built).
    const session = (db as unknown as { session: Session }).session;
    const q = session.prepareQuery(
      built.query,
      built.fields,
      name,
      true,
      built.customResultMapper,
      built.queryMetadata,
    );
    q.joinsNotNullableMap = built.joinsNotNullableMap;
    return q.execute(values) as Promise<R>;
  };
}

/** Rows inserted through `insertRows` as named statements, at most this many per statement. */
const MAX_PREPARED_ROWS = 4;
/** Per signature: the statement and its columns, or null where drizzle's builder must be used. */
const insertStatements = new Map<
  string,
  {
    columns: ReadonlyArray<readonly [string, Column]>;
    run: (db: DbOrTx, values: Record<string, unknown>) => Promise<unknown>;
  } | null
>();

/**
 * Inserts `rows` like `db.insert(table).values(rows)` (with `.returning()` and
 * `.onConflictDoNothing()` when asked), as a named statement built once per table, column set
 * and row count. Undefined values get the column's default, as with drizzle; values are encoded
 * by the columns as drizzle encodes them. Falls back to drizzle's builder for larger batches,
 * rows with different columns, or a table whose omitted columns have defaults computed in
 * JavaScript (their value would be frozen into the statement).
 */
export async function insertRows<T extends PgTable>(
  db: DbOrTx,
  table: T,
  rows: Array<T["$inferInsert"]>,
  opts: { returning: true; onConflictDoNothing?: boolean },
): Promise<Array<T["$inferSelect"]>>;
export async function insertRows<T extends PgTable>(
  db: DbOrTx,
  table: T,
  rows: Array<T["$inferInsert"]>,
  opts?: { returning?: false; onConflictDoNothing?: boolean },
): Promise<undefined>;
export async function insertRows<T extends PgTable>(
  db: DbOrTx,
  table: T,
  rows: Array<T["$inferInsert"]>,
  opts: { returning?: boolean; onConflictDoNothing?: boolean } = {},
): Promise<Array<T["$inferSelect"]> | undefined> {
  const keysOf = (r: object) =>
    Object.keys(r)
      .filter((k) => (r as Record<string, unknown>)[k] !== undefined)
      .join(",");
  const keys = rows[0] ? keysOf(rows[0]) : "";
  const tableName = getTableName(table);
  const signature = `${tableName}|${keys}|${rows.length}|${opts.returning ? "r" : ""}${opts.onConflictDoNothing ? "c" : ""}`;
  // What depends on the table and the column set only is decided once per signature.
  let entry = insertStatements.get(signature);
  if (entry === undefined && rows.length > 0 && rows.length <= MAX_PREPARED_ROWS) {
    const columns = getTableColumns(table) as Record<string, Column>;
    const list = keys.split(",");
    const usable =
      list.every((k) => columns[k]) &&
      !Object.entries(columns).some(
        ([k, c]) => !list.includes(k) && (c.defaultFn !== undefined || c.onUpdateFn !== undefined),
      );
    entry = usable
      ? {
          columns: list.map((k) => [k, columns[k] as Column] as const),
          run: prepared(`ins_${tableName}_${insertStatements.size}`, (d) => {
            const q = d
              .insert(table)
              .values(
                rows.map((_, n) =>
                  Object.fromEntries(list.map((k) => [k, sql`${sql.placeholder(`${k}_${n}`)}`])),
                ) as Array<T["$inferInsert"]>,
              );
            const c = opts.onConflictDoNothing ? q.onConflictDoNothing() : q;
            return opts.returning ? c.returning() : c;
          }),
        }
      : null;
    insertStatements.set(signature, entry);
  }
  if (!entry || rows.some((r) => keysOf(r) !== keys)) {
    const q = db.insert(table).values(rows);
    const c = opts.onConflictDoNothing ? q.onConflictDoNothing() : q;
    if (opts.returning) return (await c.returning()) as Array<T["$inferSelect"]>;
    await c;
    return undefined;
  }
  const values: Record<string, unknown> = {};
  rows.forEach((r, n) => {
    for (const [k, column] of entry.columns) {
      const v = (r as Record<string, unknown>)[k];
      values[`${k}_${n}`] = v === null ? null : column.mapToDriverValue(v);
    }
  });
  const out = await entry.run(db, values);
  return opts.returning ? (out as Array<T["$inferSelect"]>) : undefined;
}
