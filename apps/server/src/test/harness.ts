import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { inject } from "vitest";
import { buildApp } from "../app.ts";
import { type Config, loadConfig } from "../config.ts";
import type { Services } from "../context.ts";
import { type Database, openPglite, openPostgres } from "../db/client.ts";
import { createServices } from "../services.ts";
import { withDatabase } from "./global-setup.ts";

/** Which backend this test run uses: `postgres` in the project that TEST_DATABASE_URL enables. */
export const TEST_BACKEND = process.env.RAPPORT_TEST_BACKEND === "postgres" ? "postgres" : "pglite";

/** A fresh, migrated database for one test file: a PGlite clone, or a PostgreSQL database cloned from the template. */
export async function createTestDatabase(): Promise<Database> {
  if (TEST_BACKEND === "pglite") {
    const data = fs.readFileSync(inject("pgliteTemplate"));
    return openPglite({ loadDataDir: new Blob([data]) });
  }
  const url = process.env.TEST_DATABASE_URL;
  const template = inject("pgTemplate");
  if (!url || !template) throw new Error("RAPPORT_TEST_BACKEND=postgres needs TEST_DATABASE_URL");
  const name = `rapport_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const database = openPostgres(withDatabase(url, name), { max: 5 });
  const close = database.close;
  database.close = async () => {
    await close();
    const a = new pg.Client({ connectionString: url });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  };
  return database;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-files-"));
  const base = loadConfig({ RAPPORT_DATA_DIR: dir, LOG_LEVEL: "silent" });
  return {
    ...base,
    rateLimits: { loginPerMinute: 1000, publicPerMinute: 1000, apiPerMinute: 100_000 },
    ...overrides,
  };
}

/** A controllable clock: starts at real time, moves only when told. */
export function testClock(start = new Date()) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
    set: (d: Date) => {
      t = d.getTime();
    },
  };
}

export type TestApp = {
  app: FastifyInstance;
  services: Services;
  database: Database;
  clock: ReturnType<typeof testClock>;
  close: () => Promise<void>;
};

/** The whole server on a fresh database, for tests that talk HTTP to it. Close it in afterAll. */
export async function createTestApp(
  opts: { config?: Partial<Config>; listen?: boolean } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig(opts.config);
  const clock = testClock();
  const services = createServices(config, database, clock.now);
  const app = await buildApp(services, { logger: false });
  if (opts.listen) await app.listen({ port: 0, host: "127.0.0.1" });
  else await app.ready();
  return {
    app,
    services,
    database,
    clock,
    close: async () => {
      await app.close();
      await database.close();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
