import type { Config } from "../config.ts";
import { type Database, type DbLog, migrate, openPglite, openPostgres } from "./client.ts";

/** Opens the configured database (PostgreSQL when DATABASE_URL is set, else PGlite) and migrates it. */
export async function openDatabase(
  config: Config,
  opts: { migrate?: boolean; log?: DbLog } = {},
): Promise<Database> {
  const database = config.databaseUrl
    ? openPostgres(config.databaseUrl, { log: opts.log })
    : await openPglite({ dir: config.pgliteDir });
  if (opts.migrate !== false) await migrate(database);
  return database;
}
