import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../db/client.ts";
import { deferredOf } from "../db/deferred.ts";
import { jobs } from "./jobs.table.ts";

export type JobRow = typeof jobs.$inferSelect;
export type JobStatus = "queued" | "running" | "done" | "failed";

/** The channel a commit notifies so idle workers wake at once instead of at the next poll. */
export const JOBS_CHANNEL = "rapport_jobs";

export type EnqueueOptions = {
  /** Not before this time (reminders, SLA escalations, retries). Default: now. */
  runAt?: Date;
  /** At most one job per (kind, dedupeKey), ever: a second enqueue is a no-op returning null. */
  dedupeKey?: string;
  /** Attempts before the job is recorded as permanently failed. Default 8. */
  maxAttempts?: number;
};

/**
 * Adds a job inside the caller's transaction (the outbox): it becomes visible to
 * workers only when that transaction commits, so nothing runs for a rolled-back
 * change. The NOTIFY is delivered at commit too.
 */
export async function enqueue(
  tx: DbOrTx,
  kind: string,
  payload: Record<string, unknown>,
  opts: EnqueueOptions = {},
): Promise<number | null> {
  const [id] = await enqueueMany(tx, kind, [{ payload, ...opts }]);
  return id ?? null;
}

/** A job to insert: its kind, payload and options. */
export type JobItem = { kind: string; payload: Record<string, unknown> } & EnqueueOptions;

/**
 * Several jobs of one kind in one insert that also wakes idle workers (NOTIFY at commit); ids
 * in input order, null for a deduplicated one. Inside a unit of work the jobs are collected and
 * written with its flush: the ids are then null (no caller inside one needs them).
 */
export async function enqueueMany(
  tx: DbOrTx,
  kind: string,
  items: Array<{ payload: Record<string, unknown> } & EnqueueOptions>,
): Promise<Array<number | null>> {
  if (items.length === 0) return [];
  const unit = deferredOf(tx);
  if (unit) {
    for (const i of items) unit.jobs.push({ kind, ...i });
    return items.map(() => null);
  }
  const rows = await insertJobs(
    tx,
    items.map((i) => ({ kind, ...i })),
  );
  // Rows come back in insert order, without the deduplicated ones: match them by key.
  const byKey = new Map(rows.filter((r) => r.dedupeKey !== null).map((r) => [r.dedupeKey, r.id]));
  const unkeyed = rows.filter((r) => r.dedupeKey === null).values();
  return items.map((i) =>
    i.dedupeKey ? (byKey.get(i.dedupeKey) ?? null) : (unkeyed.next().value?.id ?? null),
  );
}

/**
 * Inserts `items` (any kinds) and NOTIFYs each kind that got a new job, in one statement.
 * `also`, other data-modifying statements (a unit of work's timeline events and deferred
 * writes), run in the same statement. Rows of the inserted jobs, in insert order.
 */
export async function insertJobs(
  tx: DbOrTx,
  items: JobItem[],
  also: SQL[] = [],
): Promise<Array<{ id: number; dedupeKey: string | null }>> {
  const values = sql.join(
    items.map(
      (i) =>
        sql`(${i.kind}, ${JSON.stringify(i.payload)}::jsonb, ${i.runAt ? sql`${i.runAt.toISOString()}::timestamptz` : sql`now()`}, ${i.dedupeKey ?? null}::text, ${i.maxAttempts ?? 8}::int)`,
    ),
    sql`, `,
  );
  const result = await tx.execute(sql`with ins as (
      insert into jobs (kind, payload, run_at, dedupe_key, max_attempts) values ${values}
      on conflict do nothing returning id, dedupe_key, kind),
    woke as (select pg_notify(${JOBS_CHANNEL}, d.kind) from (select distinct kind from ins) d)${sql.join(
      also.map((w, n) => sql`, ${sql.raw(`w${n}`)} as (${w})`),
      sql``,
    )}
    select id, dedupe_key as "dedupeKey", (select count(*) from woke)::int as woke from ins`);
  return (result as unknown as { rows: Array<{ id: number | string; dedupeKey: string | null }> }).rows.map(
    (r) => ({ id: Number(r.id), dedupeKey: r.dedupeKey }),
  );
}

/**
 * Claims up to `limit` runnable jobs of the given kinds: queued jobs whose time has
 * come, and running jobs whose lease expired (no heartbeat for `leaseMs`: their worker died). One statement;
 * `FOR UPDATE SKIP LOCKED` makes concurrent workers take disjoint rows.
 */
export async function claimJobs(
  db: DbOrTx,
  opts: { kinds: string[]; limit: number; workerId: string; leaseMs: number; now?: Date },
): Promise<JobRow[]> {
  if (opts.kinds.length === 0) return [];
  // The database's clock by default: every process then agrees on what is due.
  const now = opts.now ? sql`${opts.now}::timestamptz` : sql`now()`;
  const kinds = sql.join(
    opts.kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const result = await db.execute(sql`
    update jobs set status = 'running', attempts = attempts + 1, locked_by = ${opts.workerId},
      locked_at = ${now}, updated_at = ${now}
    where id in (
      select id from jobs
      where kind in (${kinds}) and (
        (status = 'queued' and run_at <= ${now})
        or (status = 'running' and locked_at < ${now} - ${opts.leaseMs} * interval '1 millisecond'))
      order by run_at, id
      limit ${opts.limit}
      for update skip locked)
    returning id`);
  const ids = (result as unknown as { rows: Array<{ id: string | number }> }).rows.map((r) => Number(r.id));
  if (ids.length === 0) return [];
  return db.select().from(jobs).where(sql`${jobs.id} in ${ids}`).orderBy(jobs.runAt, jobs.id);
}

/** Exponential backoff with jitter: 5 s, 10 s, 20 s ... capped at one hour. */
export function backoffMs(attempt: number, baseMs = 5000, capMs = 3600_000, random = Math.random): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}

const owned = (job: JobRow, workerId: string) =>
  and(eq(jobs.id, job.id), eq(jobs.status, "running"), eq(jobs.lockedBy, workerId));

export async function completeJob(db: DbOrTx, job: JobRow, workerId: string): Promise<number> {
  return completeJobs(db, [job], workerId);
}

/**
 * Several jobs done at once (a batch handler's jobs), in one statement. Only jobs this worker
 * still owns are marked: returns how many, fewer when a job was reclaimed after its lease.
 */
export async function completeJobs(db: DbOrTx, list: JobRow[], workerId: string): Promise<number> {
  if (list.length === 0) return 0;
  const rows = await db
    .update(jobs)
    .set({
      status: "done",
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
      lockedBy: null,
      lockedAt: null,
      lastError: null,
    })
    .where(
      and(
        inArray(
          jobs.id,
          list.map((j) => j.id),
        ),
        eq(jobs.status, "running"),
        eq(jobs.lockedBy, workerId),
      ),
    )
    .returning({ id: jobs.id });
  return rows.length;
}

/**
 * The heartbeat of a live worker: refreshes `locked_at` of the jobs it is running, so they are
 * not claimed again after the lease. Returns the ids it still owns; a missing one was
 * reclaimed by another worker (this one was silent longer than the lease).
 */
export async function heartbeatJobs(db: DbOrTx, ids: number[], workerId: string): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .update(jobs)
    .set({ lockedAt: sql`now()` })
    .where(and(inArray(jobs.id, ids), eq(jobs.status, "running"), eq(jobs.lockedBy, workerId)))
    .returning({ id: jobs.id });
  return new Set(rows.map((r) => r.id));
}

/** Whether a failed attempt is the job's last: a permanent error, or no attempt left. */
export const isFinalFailure = (job: JobRow, permanent: boolean) =>
  permanent || job.attempts >= job.maxAttempts;

/**
 * A failed attempt: retried later with backoff, or recorded as failed for good. Returns the new
 * status. `countAttempt: false` (the database was unreachable: not the job's fault) gives the
 * attempt back, so an outage cannot use up a job's attempts.
 */
export async function failJob(
  db: DbOrTx,
  job: JobRow,
  workerId: string,
  error: string,
  opts: { permanent: boolean; retryInMs?: number; countAttempt?: boolean },
): Promise<JobStatus> {
  const final = opts.countAttempt !== false && isFinalFailure(job, opts.permanent);
  await db
    .update(jobs)
    .set({
      status: final ? "failed" : "queued",
      ...(opts.countAttempt !== false ? {} : { attempts: sql`greatest(${jobs.attempts} - 1, 0)` }),
      lastError: error.slice(0, 4000),
      runAt: final
        ? job.runAt
        : sql`now() + ${opts.retryInMs ?? backoffMs(job.attempts)} * interval '1 millisecond'`,
      finishedAt: final ? sql`now()` : null,
      lockedBy: null,
      lockedAt: null,
      updatedAt: sql`now()`,
    })
    .where(owned(job, workerId));
  return final ? "failed" : "queued";
}

/** Puts a failed job back in the queue (admin "retry"). */
export async function retryJob(db: DbOrTx, id: number): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ status: "queued", runAt: sql`now()`, attempts: 0, finishedAt: null, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.status, "failed")))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export async function listJobs(
  db: DbOrTx,
  q: { kind?: string; status?: JobStatus; beforeId?: number; limit: number },
): Promise<JobRow[]> {
  const conds = [
    q.kind ? eq(jobs.kind, q.kind) : undefined,
    q.status ? eq(jobs.status, q.status) : undefined,
    q.beforeId ? lt(jobs.id, q.beforeId) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select()
    .from(jobs)
    .where(and(...conds))
    .orderBy(desc(jobs.id))
    .limit(q.limit);
}

export const newWorkerId = () => `w-${process.pid}-${randomUUID().slice(0, 8)}`;
