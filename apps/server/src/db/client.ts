import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
/** The drizzle handle both backends share; services only ever see this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A handle that may or may not be inside a transaction. */
export type DbOrTx = Db | Tx;

export type Backend = "pglite" | "postgres";

export type NotifyHandler = (payload: string) => void;

export interface Database {
  db: Db;
  backend: Backend;
  /** The connection string (PostgreSQL backend only). */
  url?: string;
  /** Counts SQL statements sent, for the "queries per request" benchmark and tests. */
  stats: { queries: number };
  /** Runs raw SQL (used by migrations, bench and CLI). */
  exec(sqlText: string): Promise<void>;
  /** One raw parameterized query, for scripts and tests that read rows directly. */
  query<T = Record<string, unknown>>(sqlText: string, params?: unknown[]): Promise<T[]>;
  /**
   * Subscribes to a PostgreSQL NOTIFY channel; returns an unsubscribe function. If the
   * listening connection drops, it is reopened and every channel listened to again;
   * `onReconnect` then runs, because notifications sent meanwhile were lost.
   */
  listen(
    channel: string,
    handler: NotifyHandler,
    opts?: { onReconnect?: () => void },
  ): Promise<() => Promise<void>>;
  /** The embedded database as a gzipped tarball (PGlite only; PostgreSQL uses pg_dump). */
  dump?: () => Promise<Blob>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../drizzle");
const EXTENSIONS_SQL = "create extension if not exists pg_trgm; create extension if not exists unaccent;";

export function pgliteExtensions() {
  return { pg_trgm, unaccent };
}

/** Opens the embedded database in `dir` (created if missing), or an in-memory one. */
export async function openPglite(opts: { dir?: string; loadDataDir?: Blob | File } = {}): Promise<Database> {
  if (opts.dir) fs.mkdirSync(opts.dir, { recursive: true });
  const client = await PGlite.create(opts.dir, {
    extensions: pgliteExtensions(),
    loadDataDir: opts.loadDataDir,
  });
  return wrapPglite(client);
}

export function wrapPglite(client: PGlite): Database {
  const stats = { queries: 0 };
  const db = drizzlePglite({ client, schema, logger: { logQuery: () => void stats.queries++ } });
  return {
    db: db as unknown as Db,
    backend: "pglite",
    stats,
    exec: async (sqlText) => {
      await client.exec(sqlText);
    },
    query: async <T>(sqlText: string, params?: unknown[]) => (await client.query<T>(sqlText, params)).rows,
    listen: async (channel, handler) => client.listen(channel, handler),
    dump: async () => client.dumpDataDir("gzip"),
    close: () => client.close(),
  };
}

export function openPostgres(url: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle pooled connection can be closed by the server (restart, failover, an admin's
  // pg_terminate_backend). node-postgres reports that as an 'error' event, which would
  // crash the process without a listener; the pool has already dropped that connection
  // and the next query opens a new one, so there is nothing more to do.
  pool.on("error", () => undefined);
  const stats = { queries: 0 };
  const db = drizzlePg({ client: pool, schema, logger: { logQuery: () => void stats.queries++ } });
  let listener: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const handlers = new Map<string, Set<NotifyHandler>>();
  const reconnectHandlers = new Set<() => void>();

  /** One connection carries every LISTEN of this process; it reopens itself when dropped. */
  async function connectListener(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    client.on("notification", (n) => {
      for (const h of handlers.get(n.channel) ?? []) h(n.payload ?? "");
    });
    let dropped = false;
    const onDrop = () => {
      if (dropped || closed) return;
      dropped = true;
      listener = undefined;
      scheduleReconnect(250);
    };
    client.on("error", onDrop);
    client.on("end", onDrop);
    await client.connect();
    return client;
  }

  function scheduleReconnect(delayMs: number) {
    retryTimer = setTimeout(async () => {
      if (closed) return;
      try {
        const client = await connectListener();
        for (const channel of handlers.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
        listener = client;
        for (const h of reconnectHandlers) h();
      } catch {
        scheduleReconnect(Math.min(delayMs * 2, 30_000));
      }
    }, delayMs);
    retryTimer.unref();
  }
  return {
    db: db as unknown as Db,
    backend: "postgres",
    url,
    stats,
    exec: async (sqlText) => {
      await pool.query(sqlText);
    },
    query: async <T>(sqlText: string, params?: unknown[]) =>
      (await pool.query(sqlText, params as unknown[] | undefined)).rows as T[],
    listen: async (channel, handler, opts) => {
      if (!listener) listener = await connectListener();
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await listener.query(`listen ${pg.escapeIdentifier(channel)}`);
      }
      set.add(handler);
      if (opts?.onReconnect) reconnectHandlers.add(opts.onReconnect);
      return async () => {
        set.delete(handler);
        if (opts?.onReconnect) reconnectHandlers.delete(opts.onReconnect);
      };
    },
    close: async () => {
      closed = true;
      clearTimeout(retryTimer);
      await listener?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

/** Applies the extensions and every pending migration; safe to run from several processes at once. */
export async function migrate(database: Database): Promise<void> {
  if (database.backend === "pglite") {
    await database.exec(EXTENSIONS_SQL);
    // biome-ignore lint/suspicious/noExplicitAny: drizzle's migrator wants its concrete PGlite type
    await migratePglite(database.db as any, { migrationsFolder: MIGRATIONS_DIR });
    return;
  }
  // One connection holds the advisory lock for the whole run, so concurrent starters wait.
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(727274)");
    await client.query(EXTENSIONS_SQL);
    await migratePg(drizzlePg({ client }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await client.end();
  }
}
