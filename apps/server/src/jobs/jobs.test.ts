import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../context.ts";
import { openPostgres } from "../db/client.ts";
import { createServices } from "../services.ts";
import { createTestApp, type TestApp } from "../test/harness.ts";
import { until } from "../test/until.ts";
import { jobs } from "./jobs.table.ts";
import { claimJobs, completeJob, enqueue, enqueueMany, failJob, retryJob } from "./queue.ts";
import { PermanentJobError, startWorker } from "./worker.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

/** The shared `until`, reporting the jobs table when it times out. */
const untilJobs = (cond: () => Promise<boolean>, timeout = 45_000) =>
  until(cond, {
    timeout,
    what: async () => ({
      jobs: await t.database.query("select kind, status, count(*)::int as n from jobs group by 1, 2"),
    }),
  });
const statusOf = async (id: number | null) =>
  (
    await t.database.db
      .select()
      .from(jobs)
      .where(eq(jobs.id, id ?? -1))
  )[0];

describe("job queue", () => {
  it("enqueues inside the business transaction: a rollback leaves no job", async () => {
    await t.database.db
      .transaction(async (tx) => {
        await enqueue(tx, "test.rollback", { n: 1 });
        throw new Error("rollback");
      })
      .catch(() => {});
    const rows = await t.database.db.select().from(jobs).where(eq(jobs.kind, "test.rollback"));
    expect(rows).toHaveLength(0);
  });

  it("runs a batch kind's jobs together; a failing batch runs them one by one", async () => {
    const batches: number[][] = [];
    const singles: number[] = [];
    const ids = await t.database.db.transaction((tx) =>
      enqueueMany(
        tx,
        "test.batch",
        [1, 2, 3, 4, 5].map((n) => ({ payload: { n }, dedupeKey: `b${n}` })),
      ),
    );
    expect(ids.every((id) => typeof id === "number")).toBe(true);
    // A second enqueue of the same keys adds nothing.
    const again = await t.database.db.transaction((tx) =>
      enqueueMany(tx, "test.batch", [{ payload: { n: 1 }, dedupeKey: "b1" }]),
    );
    expect(again).toEqual([null]);
    const worker = await startWorker(
      t.services,
      {
        "test.batch": {
          run: async (_ctx, job) => {
            singles.push((job.payload as { n: number }).n);
          },
          batch: {
            max: 3,
            run: async (_ctx, list) => {
              const ns = list.map((j) => (j.payload as { n: number }).n);
              batches.push(ns);
              if (ns.includes(5)) throw new Error("one bad email");
            },
          },
        },
      },
      { pollMs: 20 },
    );
    await untilJobs(async () => {
      const rows = await Promise.all(ids.map((id) => statusOf(id)));
      return rows.every((r) => r?.status === "done");
    });
    await worker.stop();
    expect(batches.flat().sort()).toEqual([1, 2, 3, 4, 5]);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(3);
    // The batch holding job 5 failed: its jobs ran again, alone.
    const failed = batches.find((b) => b.includes(5)) ?? [];
    expect(singles.sort()).toEqual([...failed].sort());
  });

  it("deduplicates by (kind, dedupeKey)", async () => {
    const a = await enqueue(t.database.db, "test.dedupe", {}, { dedupeKey: "k1" });
    const b = await enqueue(t.database.db, "test.dedupe", {}, { dedupeKey: "k1" });
    expect(a).toBeTypeOf("number");
    expect(b).toBeNull();
  });

  it("runs each job exactly once across two workers with separate connections", async () => {
    const second: Services =
      t.database.backend === "postgres" && t.database.url
        ? createServices(t.services.config, openPostgres(t.database.url, { max: 4 }), t.services.now)
        : t.services;
    const seen: Array<{ n: number; worker: string }> = [];
    const handler = (worker: string) => ({
      run: async (_ctx: unknown, job: { payload: unknown }) => {
        seen.push({ n: (job.payload as { n: number }).n, worker });
        await new Promise((r) => setTimeout(r, 2));
      },
    });
    const N = 150;
    await t.database.db.transaction(async (tx) => {
      for (let n = 0; n < N; n++) await enqueue(tx, "test.once", { n });
    });
    const w1 = await startWorker(t.services, { "test.once": handler("a") }, { concurrency: 4, pollMs: 20 });
    const w2 = await startWorker(second, { "test.once": handler("b") }, { concurrency: 4, pollMs: 20 });
    await untilJobs(async () => {
      const [r] = await t.database.db
        .select({ c: sql<number>`count(*)::int` })
        .from(jobs)
        .where(sql`kind = 'test.once' and status <> 'done'`);
      return r?.c === 0;
    });
    await w1.stop();
    await w2.stop();
    if (second !== t.services) await second.database.close();
    expect(seen).toHaveLength(N);
    expect(new Set(seen.map((s) => s.n)).size).toBe(N);
  });

  it("retries with backoff, then succeeds", async () => {
    let calls = 0;
    const stamps: number[] = [];
    const gaps: number[] = [];
    const id = await enqueue(t.database.db, "test.flaky", {});
    const w = await startWorker(
      t.services,
      {
        "test.flaky": {
          run: async () => {
            calls++;
            stamps.push(Date.now());
            if (stamps.length > 1) gaps.push((stamps.at(-1) ?? 0) - (stamps.at(-2) ?? 0));
            if (calls < 3) throw new Error(`temporary ${calls}`);
          },
        },
      },
      { pollMs: 10, backoffBaseMs: 100 },
    );
    await untilJobs(async () => (await statusOf(id))?.status === "done");
    await w.stop();
    expect(calls).toBe(3);
    expect(gaps[0]).toBeGreaterThanOrEqual(80);
    expect(gaps[1]).toBeGreaterThanOrEqual(160);
  });

  it("records a permanent failure with its error and can retry it", async () => {
    const failures: Array<{ error: string; willRetry: boolean }> = [];
    const id = await enqueue(t.database.db, "test.perm", {});
    const handlers = {
      "test.perm": {
        run: async () => {
          throw new PermanentJobError("550 no such user");
        },
        onFailure: async (_c: unknown, _j: unknown, error: string, willRetry: boolean) => {
          failures.push({ error, willRetry });
        },
      },
    };
    const w = await startWorker(t.services, handlers, { pollMs: 10 });
    await untilJobs(async () => (await statusOf(id))?.status === "failed");
    await w.stop();
    const row = await statusOf(id);
    expect(row?.lastError).toBe("550 no such user");
    expect(row?.attempts).toBe(1);
    expect(failures).toEqual([{ error: "550 no such user", willRetry: false }]);
    expect(await retryJob(t.database.db, id ?? -1)).toBe(true);
    expect((await statusOf(id))?.status).toBe("queued");
  });

  it("gives up after maxAttempts", async () => {
    const id = await enqueue(t.database.db, "test.max", {}, { maxAttempts: 2 });
    const w = await startWorker(
      t.services,
      {
        "test.max": {
          run: async () => {
            throw new Error("still down");
          },
        },
      },
      { pollMs: 10, backoffBaseMs: 10 },
    );
    await untilJobs(async () => (await statusOf(id))?.status === "failed");
    await w.stop();
    expect((await statusOf(id))?.attempts).toBe(2);
  });

  it("does not run a job before its runAt", async () => {
    const runAt = new Date(Date.now() + 3600_000);
    const id = await enqueue(t.database.db, "test.later", {}, { runAt });
    const opts = { kinds: ["test.later"], limit: 10, workerId: "x", leaseMs: 60_000 };
    expect(await claimJobs(t.database.db, opts)).toHaveLength(0);
    const later = await claimJobs(t.database.db, { ...opts, now: new Date(runAt.getTime() + 1) });
    expect(later.map((j) => j.id)).toEqual([id]);
  });

  it("reclaims a job whose worker died (lease expired)", async () => {
    const id = await enqueue(t.database.db, "test.lease", {});
    const opts = { kinds: ["test.lease"], limit: 1, leaseMs: 60_000 };
    const first = await claimJobs(t.database.db, { ...opts, workerId: "dead" });
    expect(first.map((j) => j.id)).toEqual([id]);
    expect(await claimJobs(t.database.db, { ...opts, workerId: "other" })).toHaveLength(0);
    const later = new Date(Date.now() + 61_000);
    const again = await claimJobs(t.database.db, { ...opts, now: later, workerId: "other" });
    expect(again.map((j) => [j.id, j.lockedBy, j.attempts])).toEqual([[id, "other", 2]]);
  });

  it("reclaims the job of a dead worker within the short lease, not before", async () => {
    const leaseMs = 1500;
    const id = await enqueue(t.database.db, "test.dead", {});
    // A process claimed it and was killed (kill -9): the job is running, and no heartbeat comes.
    const [claimed] = await claimJobs(t.database.db, {
      kinds: ["test.dead"],
      limit: 1,
      workerId: "w-dead",
      leaseMs,
    });
    const claimedAt = Date.now();
    expect(claimed?.id).toBe(id);
    let ranAt = 0;
    const w = await startWorker(
      t.services,
      {
        "test.dead": {
          run: async () => {
            ranAt = Date.now();
          },
        },
      },
      { pollMs: 50, leaseMs },
    );
    await untilJobs(async () => (await statusOf(id))?.status === "done");
    await w.stop();
    const row = await statusOf(id);
    expect(row?.attempts).toBe(2);
    // Not stolen before the lease ran out, and taken soon after (a poll or two).
    expect(ranAt - claimedAt).toBeGreaterThanOrEqual(leaseMs - 200);
    expect(ranAt - claimedAt).toBeLessThan(leaseMs + 5000);
  });

  it("does not steal a live worker's long job: its heartbeat keeps the lease", async () => {
    const leaseMs = 1500;
    const other: Services =
      t.database.backend === "postgres" && t.database.url
        ? createServices(t.services.config, openPostgres(t.database.url, { max: 2 }), t.services.now)
        : t.services;
    const runs: string[] = [];
    const handler = (name: string, ms: number) => ({
      run: async () => {
        runs.push(name);
        await new Promise((r) => setTimeout(r, ms));
      },
    });
    const id = await enqueue(t.database.db, "test.long", {});
    const a = await startWorker(
      t.services,
      { "test.long": handler("a", 3 * leaseMs) },
      { pollMs: 20, leaseMs },
    );
    await untilJobs(async () => runs.length === 1);
    const b = await startWorker(other, { "test.long": handler("b", 0) }, { pollMs: 20, leaseMs });
    await untilJobs(async () => (await statusOf(id))?.status === "done", 30_000);
    await a.stop();
    await b.stop();
    if (other !== t.services) await other.database.close();
    expect(runs).toEqual(["a"]);
    expect((await statusOf(id))?.attempts).toBe(1);
  });

  it("a worker whose lease ran out cannot finish or fail the job over its new owner", async () => {
    const id = await enqueue(t.database.db, "test.fence", {});
    const opts = { kinds: ["test.fence"], limit: 1, leaseMs: 1000 };
    const [old] = await claimJobs(t.database.db, { ...opts, workerId: "old" });
    const later = new Date(Date.now() + 2000);
    const [mine] = await claimJobs(t.database.db, { ...opts, workerId: "new", now: later });
    expect(mine?.id).toBe(id);
    if (!old) throw new Error("not claimed");
    expect(await completeJob(t.database.db, old, "old")).toBe(0);
    await failJob(t.database.db, old, "old", "late", { permanent: true });
    const row = await statusOf(id);
    expect([row?.status, row?.lockedBy]).toEqual(["running", "new"]);
  });

  it("queues a job that failed because the database was unreachable again, without using an attempt", async () => {
    const id = await enqueue(t.database.db, "test.outage", {}, { maxAttempts: 1 });
    let calls = 0;
    const w = await startWorker(
      t.services,
      {
        "test.outage": {
          run: async () => {
            calls++;
            if (calls === 1)
              throw Object.assign(new Error("terminating connection due to administrator command"), {
                code: "57P01",
              });
          },
        },
      },
      { pollMs: 20 },
    );
    await untilJobs(async () => (await statusOf(id))?.status === "done");
    await w.stop();
    // With maxAttempts 1, a counted failure would have been final.
    expect(calls).toBe(2);
    expect((await statusOf(id))?.attempts).toBe(1);
  });

  it("stops cleanly: waits for the running job", async () => {
    let finished = false;
    const id = await enqueue(t.database.db, "test.stop", {});
    let started = false;
    const w = await startWorker(
      t.services,
      {
        "test.stop": {
          run: async () => {
            started = true;
            await new Promise((r) => setTimeout(r, 200));
            finished = true;
          },
        },
      },
      { pollMs: 10 },
    );
    await untilJobs(async () => started);
    await w.stop();
    expect(finished).toBe(true);
    expect((await statusOf(id))?.status).toBe("done");
  });
});
