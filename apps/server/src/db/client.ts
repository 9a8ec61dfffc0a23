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
import { lockDataDir } from "./lock.ts";
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
export async function openPglite(
  opts: {
    dir?: string;
    loadDataDir?: Blob | File /** the caller holds the directory's lock */;
    locked?: true;
  } = {},
): Promise<Database> {
  if (!opts.dir)
    return wrapPglite(
      await PGlite.create(undefined, { extensions: pgliteExtensions(), loadDataDir: opts.loadDataDir }),
    );
  fs.mkdirSync(opts.dir, { recursive: true });
  // One process at a time on a data directory (db/lock.ts): refuse before PGlite touches a file.
  const release = opts.locked ? () => {} : lockDataDir(opts.dir);
  try {
    const client = await PGlite.create(opts.dir, {
      extensions: pgliteExtensions(),
      loadDataDir: opts.loadDataDir,
    });
    const database = wrapPglite(client);
    const close = database.close;
    database.close = async () => {
      try {
        await close();
      } finally {
        release();
      }
    };
    return database;
  } catch (e) {
    release();
    throw e;
  }
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

/** Reports connection trouble (a LISTEN reconnect, a connection the server closed); never throws. */
export type DbLog = (msg: string, err?: unknown) => void;

/** Waits for a connection at most this long, so a request fails (503) instead of hanging on a dead host. */
const CONNECT_TIMEOUT_MS = 10_000;
/** LISTEN reconnect backoff: 100 ms doubling to at most 5 s, with jitter so processes do not stampede. */
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5000;

/**
 * A PostgreSQL server through node-postgres. Every connection has an `error` listener: the
 * server closes connections on a restart, a failover or `pg_terminate_backend`, and an
 * unheard `error` event kills the process. A query on a lost connection fails (the callers
 * map that to 503, SMTP 451, a job retry: see db/errors.ts); the pool opens new connections
 * for the next queries, and the LISTEN connection reconnects by itself.
 */
export function openPostgres(url: string, opts: { max?: number; log?: DbLog } = {}): Database {
  const log = opts.log ?? (() => undefined);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // The pool listens on idle connections only; a checked-out one (a transaction between two
  // statements) would emit its error unheard. This listener stays on every connection for life.
  // The query in flight, if any, fails with the error; the pool then discards the connection.
  pool.on("connect", (client) => {
    client.on("error", (err) => log("database: a connection was closed", err));
  });
  // The same error, seen by the pool for an idle connection (already logged above).
  pool.on("error", () => undefined);
  const stats = { queries: 0 };
  const db = drizzlePg({ client: pool, schema, logger: { logQuery: () => void stats.queries++ } });
  const listener = listenerConnection(url, log);
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
    listen: listener.listen,
    close: async () => {
      await listener.close();
      await pool.end();
    },
  };
}

/**
 * One connection carries every LISTEN of this process. When it drops it reconnects with
 * backoff, listens to every channel again and then calls each `onReconnect`, since
 * notifications sent meanwhile are lost. A `listen` while it is reconnecting only registers.
 */
function listenerConnection(url: string, log: DbLog) {
  const handlers = new Map<string, Set<NotifyHandler>>();
  const reconnectHandlers = new Set<() => void>();
  let live: pg.Client | undefined;
  let opening: Promise<pg.Client> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let down = false;
  let closed = false;

  const dispatch = (n: pg.Notification) => {
    for (const h of handlers.get(n.channel) ?? []) {
      try {
        h(n.payload ?? "");
      } catch (err) {
        log(`database: a ${n.channel} notification handler threw`, err);
      }
    }
  };

  async function open(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (live !== client) return;
      live = undefined;
      if (closed) return;
      down = true;
      log("database: the LISTEN connection was lost; reconnecting", err);
      scheduleReconnect();
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    client.on("notification", dispatch);
    try {
      await client.connect();
      for (const channel of handlers.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      if (lost || closed) throw new Error("Connection terminated while opening the LISTEN connection");
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    live = client;
    return client;
  }

  const ensure = (): Promise<pg.Client> => {
    if (live) return Promise.resolve(live);
    opening ??= open().finally(() => {
      opening = undefined;
    });
    return opening;
  };

  function scheduleReconnect() {
    if (closed || retryTimer) return;
    const base = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** failures);
    retryTimer = setTimeout(
      () => {
        retryTimer = undefined;
        ensure().then(
          () => {
            if (closed) return;
            log(`database: the LISTEN connection is back (after ${failures + 1} attempt(s))`);
            failures = 0;
            down = false;
            for (const h of reconnectHandlers) {
              try {
                h();
              } catch (err) {
                log("database: an onReconnect handler threw", err);
              }
            }
          },
          () => {
            failures++;
            scheduleReconnect();
          },
        );
      },
      base * (0.75 + Math.random() / 2),
    );
    retryTimer.unref();
  }

  const listen: Database["listen"] = async (channel, handler, opts) => {
    if (closed) throw new Error("The database is closed");
    let set = handlers.get(channel);
    const isNew = !set;
    if (!set) {
      set = new Set();
      handlers.set(channel, set);
    }
    set.add(handler);
    const onReconnect = opts?.onReconnect;
    if (onReconnect) reconnectHandlers.add(onReconnect);
    const unlisten = async () => {
      set.delete(handler);
      if (onReconnect) reconnectHandlers.delete(onReconnect);
    };
    // Reconnecting: the new channel is listened to when the connection is back.
    if (down) return unlisten;
    let client: pg.Client;
    try {
      client = await ensure();
    } catch (err) {
      await unlisten();
      if (set.size === 0) handlers.delete(channel);
      throw err;
    }
    // The connection may have been opened before this channel was registered. If it is lost
    // meanwhile, the reconnect listens to every channel, this one included.
    if (isNew) await client.query(`listen ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
    return unlisten;
  };

  return {
    listen,
    close: async () => {
      closed = true;
      clearTimeout(retryTimer);
      const client = live ?? (await opening?.catch(() => undefined));
      live = undefined;
      await client?.end().catch(() => undefined);
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
  // A connection lost mid-migration fails the migration's statement; without a listener the
  // same error would also be thrown as an unheard 'error' event.
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(727274)");
    await client.query(EXTENSIONS_SQL);
    await migratePg(drizzlePg({ client }), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await client.end();
  }
}
