import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cliHarness } from "./test/cli-harness.ts";

/**
 * PGlite only (the pglite project runs *.pglite.test.ts; the postgres project does not): an
 * embedded database's data directory is held by one process at a time (db/lock.ts), which has no
 * counterpart on a PostgreSQL server.
 */
const cli = cliHarness();
const { rapport, openHere } = cli;

describe("rapport CLI and the embedded database's lock", { timeout: 600_000 }, () => {
  beforeAll(async () => {
    await cli.setUp();
    const r = await rapport("migrate");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }, 600_000); // a hook: the suite's timeout covers its tests only
  afterEach(cli.killRunning);
  afterAll(cli.tearDown);

  it("seed:demo against an embedded database in use refuses with a clear message and changes nothing; a dead owner's lock is taken over", async () => {
    const lock = path.join(cli.dataDir, "db.lock");
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
  });
});
