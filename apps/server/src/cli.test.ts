import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "./app.ts";
import { users } from "./modules/users/users.table.ts";
import { createServices } from "./services.ts";
import { cliHarness } from "./test/cli-harness.ts";
import { apiClient } from "./test/factories.ts";
import { TEST_BACKEND, testConfig } from "./test/harness.ts";

/**
 * The real `rapport` command in child processes (test/cli-harness.ts); the steps run in order.
 * Each step starts the command cold (tsx, the server's modules, the database): a minute or more
 * a run at load 20 beside the browser tests, where the backup test's three runs took 303 s; hence
 * the suite's 600 s a test and hook.
 */
const OLD = "old-password-1";
const NEW = "new-password-2";
const ADMIN = "admin@cli.test";

const cli = cliHarness();
const { rapport, rapportIn, openHere } = cli;

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

describe(`rapport CLI (${TEST_BACKEND})`, { timeout: 600_000 }, () => {
  beforeAll(cli.setUp);
  afterEach(cli.killRunning);
  afterAll(cli.tearDown);

  it("migrate applies the migrations and exits", async () => {
    const r = await rapport("migrate");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Migrations applied (${TEST_BACKEND})`);
  });

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
  });

  it("rejects bad input with a clear message, exit code 1 and no change", async () => {
    const notGzip = path.join(cli.dataDir, "not-a-backup.tar.gz");
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
      rapport("restore", path.join(cli.dataDir, "missing.tar.gz")),
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
        stderr: `Backup file not found: ${path.join(cli.dataDir, "missing.tar.gz")}\n`,
      });
      expect(garbage.code).toBe(1);
      expect(garbage.stderr).toMatch(/is not a Rapport backup/);
      // Nothing was moved aside: the database in place is untouched.
      expect(fs.readdirSync(cli.dataDir).filter((f) => f.includes("before-restore"))).toEqual([]);
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
  });

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
  });

  it("backup, change data, restore: the data is back (PostgreSQL: pointed to pg_dump/pg_restore)", async () => {
    const file = path.join(cli.dataDir, "backup.tar.gz");
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
  });

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
  });
});
