import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Database, openPglite, openPostgres } from "../db/client.ts";
import { createTestDatabase, TEST_BACKEND } from "./harness.ts";

/**
 * The real `rapport` command in child processes, for the CLI suites: PGlite in a temporary
 * RAPPORT_DATA_DIR, or (in the postgres project) a fresh PostgreSQL database through
 * DATABASE_URL. Every process starts its own database, so a suite's steps share one directory
 * and run in order.
 */
export type Run = { code: number | null; stdout: string; stderr: string };

const BIN = path.resolve(import.meta.dirname, "../../bin/rapport.mjs");

export function cliHarness() {
  const state = { dataDir: "", pg: undefined as Database | undefined };
  /** Commands still running: a test that times out must not leave one holding the data directory. */
  const running = new Set<ReturnType<typeof spawn>>();

  function rapportIn(dir: string, ...args: string[]): Promise<Run> {
    const env: NodeJS.ProcessEnv = { ...process.env, RAPPORT_DATA_DIR: dir, LOG_LEVEL: "silent" };
    delete env.RAPPORT_PASSWORD;
    delete env.DATABASE_URL;
    if (state.pg?.url) env.DATABASE_URL = state.pg.url;
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

  return {
    get dataDir() {
      return state.dataDir;
    },
    rapport: (...args: string[]) => rapportIn(state.dataDir, ...args),
    rapportIn,
    /** The same database, opened in this process while no command runs. */
    openHere: async (): Promise<Database> => {
      if (state.pg?.url) return openPostgres(state.pg.url, { max: 2 });
      return openPglite({ dir: path.join(state.dataDir, "db") });
    },
    /** beforeAll */
    setUp: async () => {
      state.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-cli-"));
      if (TEST_BACKEND === "postgres") state.pg = await createTestDatabase();
    },
    /** afterEach: a command still running is killed. */
    killRunning: async () => {
      for (const child of running) child.kill("SIGKILL");
      await Promise.all([...running].map((c) => new Promise((r) => c.once("close", r))));
    },
    /** afterAll */
    tearDown: async () => {
      await state.pg?.close();
      fs.rmSync(state.dataDir, { recursive: true, force: true });
    },
  };
}
