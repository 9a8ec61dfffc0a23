import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "./app.ts";
import { type Database, openPglite, openPostgres } from "./db/client.ts";
import { users } from "./modules/users/users.table.ts";
import { createServices } from "./services.ts";
import { apiClient } from "./test/factories.ts";
import { createTestDatabase, TEST_BACKEND, testConfig } from "./test/harness.ts";

/**
 * The real `rapport` command in child processes: PGlite in a temporary
 * RAPPORT_DATA_DIR, or (in the postgres project) a fresh PostgreSQL database
 * through DATABASE_URL. Every process starts its own database, so the steps share
 * one directory and run in order.
 */
const BIN = path.resolve(import.meta.dirname, "../bin/rapport.mjs");
const OLD = "old-password-1";
const NEW = "new-password-2";
const ADMIN = "admin@cli.test";

type Run = { code: number | null; stdout: string; stderr: string };

let dataDir: string;
let pg: Database | undefined;
/** Commands still running: a test that times out must not leave one holding the data directory. */
const running = new Set<ReturnType<typeof spawn>>();

function rapport(...args: string[]): Promise<Run> {
  return rapportIn(dataDir, ...args);
}

function rapportIn(dir: string, ...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, RAPPORT_DATA_DIR: dir, LOG_LEVEL: "silent" };
  delete env.RAPPORT_PASSWORD;
  delete env.DATABASE_URL;
  if (pg?.url) env.DATABASE_URL = pg.url;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The same database, opened in this process while no command runs. */
async function openHere(): Promise<Database> {
  if (pg?.url) return openPostgres(pg.url, { max: 2 });
  return openPglite({ dir: path.join(dataDir, "db") });
}

async function withApp<T>(fn: (app: FastifyInstance) => Promise<T>): Promise<T> {
  const database = await openHere();
  const config = testConfig();
  const app = await buildApp(createServices(config, database), { logger: false });
  await app.ready();
  try {
    return await fn(app);
  } finally {
    await app.close();
    await database.close();
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  }
}

const login = (app: FastifyInstance, password: string, email = ADMIN) =>
  apiClient(app)
    .post("/auth/login", { email, password })
    .then((r) => r.status);

describe(`rapport CLI (${TEST_BACKEND})`, () => {
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-cli-"));
    if (TEST_BACKEND === "postgres") pg = await createTestDatabase();
  });
  afterEach(async () => {
    for (const child of running) child.kill("SIGKILL");
    await Promise.all([...running].map((c) => new Promise((r) => c.once("close", r))));
  });
  afterAll(async () => {
    await pg?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("migrate applies the migrations and exits", async () => {
    const r = await rapport("migrate");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Migrations applied (${TEST_BACKEND})`);
  }, 300_000);

  it("user:create makes an admin", async () => {
    const r = await rapport(
      "user:create",
      "--email",
      ADMIN,
      "--name",
      "Cli Admin",
      "--role",
      "admin",
      "--password",
      OLD,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Created admin Cli Admin <admin@cli\.test>/);
  }, 300_000);

  it("rejects bad input with a clear message, exit code 1 and no change", async () => {
    const notGzip = path.join(dataDir, "not-a-backup.tar.gz");
    fs.writeFileSync(notGzip, "hello, this is not a backup");
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-cli-empty-"));
    const [role, short, missing, garbage, tickets, duplicate, emptyBackup] = await Promise.all([
      rapport(
        "user:create",
        "--email",
        "x@cli.test",
        "--name",
        "X",
        "--role",
        "superuser",
        "--password",
        NEW,
      ),
      rapport("user:create", "--email", "y@cli.test", "--name", "Y", "--password", "short"),
      rapport("restore", path.join(dataDir, "missing.tar.gz")),
      rapport("restore", notGzip),
      rapport("seed:demo", "--tickets", "many"),
      rapport("user:create", "--email", ADMIN, "--name", "Again", "--password", NEW),
      rapportIn(empty, "backup", "--out", path.join(empty, "x.tar.gz")),
    ]);
    expect(role).toMatchObject({ code: 1, stderr: "--role must be one of admin, manager, agent\n" });
    expect(short).toMatchObject({ code: 1, stderr: "Password: at least 10 characters\n" });
    expect(tickets.code).toBe(1);
    expect(tickets.stderr).toMatch(/--tickets.*a whole number from 0 to 100000/);
    expect(duplicate).toMatchObject({ code: 1, stderr: "A user with this email exists\n" });
    expect(emptyBackup.code).toBe(1);
    if (TEST_BACKEND === "pglite") {
      expect(missing).toMatchObject({
        code: 1,
        stderr: `Backup file not found: ${path.join(dataDir, "missing.tar.gz")}\n`,
      });
      expect(garbage.code).toBe(1);
      expect(garbage.stderr).toMatch(/is not a Rapport backup/);
      // Nothing was moved aside: the database in place is untouched.
      expect(fs.readdirSync(dataDir).filter((f) => f.includes("before-restore"))).toEqual([]);
      // Backing up a directory without a database does not create one.
      expect(emptyBackup.stderr).toBe(`No database in ${path.join(empty, "db")} (check RAPPORT_DATA_DIR)\n`);
      expect(fs.readdirSync(empty)).toEqual([]);
    } else {
      for (const r of [missing, garbage]) {
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/DATABASE_URL is set: restore PostgreSQL with pg_restore/);
      }
      expect(emptyBackup.stderr).toMatch(/DATABASE_URL is set: back up PostgreSQL with pg_dump/);
    }
    fs.rmSync(empty, { recursive: true, force: true });
    for (const r of [role, short, missing, garbage, tickets, duplicate, emptyBackup])
      expect(r.stdout).toBe("");
    await withApp(async (app) => {
      const database = app.services.database;
      expect(await login(app, OLD)).toBe(200);
      const rows = await database.db.select({ email: users.email }).from(users);
      expect(rows.map((u) => u.email)).toEqual([ADMIN]);
    });
  }, 300_000);

  it("user:reset-password: the new password signs in, the old one no longer does; API tokens are revoked", async () => {
    const here = await openHere();
    try {
      await here.query(
        `insert into api_tokens (user_id, name, token_hash, prefix)
         select id, 'cli test', 'not-a-real-hash', 'rpt_test' from users where email = $1`,
        [ADMIN],
      );
    } finally {
      await here.close();
    }
    const r = await rapport("user:reset-password", "--email", ADMIN, "--password", NEW);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Password reset for ${ADMIN}`);
    const unknown = await rapport("user:reset-password", "--email", "nobody@cli.test", "--password", NEW);
    expect(unknown).toMatchObject({ code: 1, stderr: "No user with the email nobody@cli.test\n" });
    await withApp(async (app) => {
      expect(await login(app, NEW)).toBe(200);
      expect(await login(app, OLD)).toBe(401);
      const tokens = await app.services.database.query<{ revoked: boolean }>(
        "select revoked_at is not null as revoked from api_tokens where name = 'cli test'",
      );
      expect(tokens).toEqual([{ revoked: true }]);
    });
  }, 300_000);

  it("backup, change data, restore: the data is back (PostgreSQL: pointed to pg_dump/pg_restore)", async () => {
    const file = path.join(dataDir, "backup.tar.gz");
    const b = await rapport("backup", "--out", file);
    if (TEST_BACKEND === "postgres") {
      expect(b.code).toBe(1);
      expect(b.stderr).toMatch(/DATABASE_URL is set: back up PostgreSQL with pg_dump/);
      expect(fs.existsSync(file)).toBe(false);
      return;
    }
    expect(b.code).toBe(0);
    expect(b.stdout).toContain(`Backup written to ${file}`);
    expect(fs.statSync(file).size).toBeGreaterThan(1000);

    const later = await rapport(
      "user:create",
      "--email",
      "later@cli.test",
      "--name",
      "Later",
      "--password",
      NEW,
    );
    expect(later.code).toBe(0);
    const r = await rapport("restore", file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/The previous database was kept in .*before-restore/);
    await withApp(async (app) => {
      expect(await login(app, NEW)).toBe(200);
      expect(await login(app, NEW, "later@cli.test")).toBe(401);
    });
  }, 300_000);

  it("seed:demo adds demo data to the set-up organization, prints logins, and refuses a second run", async () => {
    const r = await rapport(
      "seed:demo",
      "--tickets",
      "6",
      "--contacts",
      "4",
      "--password",
      "demo-password-1",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Seeded 6 tickets \(\d+ messages\), 4 contacts and 12 organizations in [\d.]+ s/,
    );
    expect(r.stdout).toContain("Demo logins:");
    expect(r.stdout).toMatch(/manager\s+anh\.le@demo\.rapport\.example\s+demo-password-1/);
    expect(r.stdout).not.toContain("admin@demo.rapport.example");
    // Not a terminal: progress is plain lines on stderr.
    expect(r.stderr).toContain("Tickets: 6/6");
    const again = await rapport("seed:demo", "--tickets", "6", "--contacts", "4");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has demo data .*--force/);
  }, 300_000);

  it.skipIf(TEST_BACKEND !== "pglite")(
    "seed:demo against an embedded database in use refuses with a clear message and changes nothing; a dead owner's lock is taken over",
    async () => {
      const lock = path.join(dataDir, "db.lock");
      // This process holds the database, as a running server does.
      const running = await openHere();
      try {
        expect(JSON.parse(fs.readFileSync(lock, "utf8")).pid).toBe(process.pid);
        const count = async () =>
          Number((await running.query<{ n: number }>("select count(*)::int as n from tickets"))[0]?.n);
        const before = await count();
        for (const args of [["seed:demo", "--tickets", "3", "--force"], ["migrate"]]) {
          const r = await rapport(...args);
          expect(r.code).toBe(1);
          expect(r.stderr).toContain("is in use by another Rapport process");
          expect(r.stderr).toContain(`pid ${process.pid}`);
          expect(r.stderr).toContain("DATABASE_URL");
        }
        // The running database is intact and unchanged.
        expect(await count()).toBe(before);
        await running.exec("select 1");
      } finally {
        await running.close();
      }
      expect(fs.existsSync(lock)).toBe(false);
      // A lock left by a process that died (kill -9) does not block.
      const dead = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
        child.on("exit", () => resolve(child.pid ?? 0));
      });
      fs.writeFileSync(lock, JSON.stringify({ pid: dead, command: "start" }));
      const r = await rapport("migrate");
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(fs.existsSync(lock)).toBe(false);
    },
    180_000,
  );
});
