import { SYSTEM } from "../auth/actor.ts";
import { type Ctx, type Services, withActor } from "../context.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import {
  backoffMs,
  claimJobs,
  completeJobs,
  failJob,
  heartbeatJobs,
  isFinalFailure,
  JOBS_CHANNEL,
  type JobRow,
  newWorkerId,
} from "./queue.ts";

/** A failure that retrying cannot fix (bad payload, a 5xx SMTP answer): recorded at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

export type JobHandler = {
  run: (ctx: Ctx, job: JobRow) => Promise<void>;
  /**
   * Optional: up to `max` claimed jobs of this kind run together (email ingestion writes a
   * batch of emails with one statement per table). If the batch throws, each job then runs
   * alone through `run`, with its own retries and failure, so a bad job cannot sink the others.
   */
  batch?: {
    max: number;
    /** Batches of this kind running at once in one worker (default 2: one writes while the next parses). */
    parallel?: number;
    run: (ctx: Ctx, jobs: JobRow[]) => Promise<void>;
  };
  /** Called after an attempt fails, with whether it will be retried (e.g. to show the status on a message). */
  onFailure?: (ctx: Ctx, job: JobRow, error: string, willRetry: boolean) => Promise<void>;
};
export type JobHandlers = Record<string, JobHandler>;

export type WorkerOptions = {
  /** Jobs run at once by this worker. */
  concurrency?: number;
  /** Polling interval when no NOTIFY arrives (jobs scheduled for later, other processes). */
  pollMs?: number;
  /** A running job whose worker has sent no heartbeat this long is claimed again (default 20 s). */
  leaseMs?: number;
  /** How often a worker refreshes the lease of the jobs it runs (default a quarter of the lease, at most 5 s). */
  heartbeatMs?: number;
  /** First retry delay; doubles each attempt (capped at an hour). */
  backoffBaseMs?: number;
  workerId?: string;
  log?: (msg: string, err?: unknown) => void;
};

export type Worker = {
  id: string;
  /** Runs one claim-and-run round now; resolves with the number of jobs run (tests, CLI). */
  drain: () => Promise<number>;
  /** Stops claiming, waits for running jobs to finish. */
  stop: () => Promise<void>;
};

export const DEFAULT_LEASE_MS = 20_000;
/** A job that failed because the database was unreachable is queued again this soon. */
const OUTAGE_RETRY_MS = 500;
/** Retries of a claim or of a job's bookkeeping while the database is unreachable: 100 ms doubling to 5 s. */
const outageDelay = (failures: number) => Math.min(5000, 100 * 2 ** Math.max(0, failures - 1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a worker loop: wakes on NOTIFY (commit of an enqueue) or every `pollMs`,
 * claims jobs with SKIP LOCKED, runs their handlers, retries with exponential
 * backoff, records permanent failures. Several workers (in one or many server
 * processes) never run the same job twice at once: a running job's lease is kept by a
 * heartbeat, and only a job whose worker has been silent for `leaseMs` is claimed again.
 * While the database is unreachable (restart, failover) the worker backs off and retries;
 * jobs that failed because of it go back to the queue without using up an attempt.
 */
export async function startWorker(
  services: Services,
  handlers: JobHandlers,
  opts: WorkerOptions = {},
): Promise<Worker> {
  const id = opts.workerId ?? newWorkerId();
  const concurrency = opts.concurrency ?? 4;
  const pollMs = opts.pollMs ?? 1000;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const heartbeatMs = opts.heartbeatMs ?? Math.max(50, Math.min(5000, Math.floor(leaseMs / 4)));
  const backoffBaseMs = opts.backoffBaseMs ?? 5000;
  const log = opts.log ?? (() => {});
  const kinds = Object.keys(handlers);
  const ctx = withActor(services, SYSTEM);
  const running = new Set<Promise<void>>();
  /** The jobs this worker runs now (and is still recording the outcome of): the heartbeat keeps their lease. */
  const active = new Map<number, JobRow>();
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  /**
   * Writes a job's outcome (done, retry, failed). While the database is unreachable the write
   * is retried with backoff; it gives up when the worker stops or the lease has run out,
   * because the job is then another worker's (the write checks `locked_by`, so a late one
   * changes nothing). Returns undefined when it gave up.
   */
  const settle = async <T>(what: string, write: () => Promise<T>): Promise<T | undefined> => {
    const giveUpAt = Date.now() + leaseMs;
    for (let failures = 1; ; failures++) {
      try {
        return await write();
      } catch (e) {
        if (!isDatabaseUnavailable(e) || stopped || Date.now() > giveUpAt) {
          log(`${what}: could not record the outcome; the job runs again after its lease`, e);
          return undefined;
        }
        await sleep(outageDelay(failures));
      }
    }
  };

  const completed = async (list: JobRow[]) => {
    const n = await settle(`${list[0]?.kind} done`, () => completeJobs(services.db, list, id));
    if (n !== undefined && n < list.length)
      log(
        `${list.length - n} ${list[0]?.kind} job(s) finished after their lease ran out; another worker owns them`,
      );
  };

  const failed = async (handler: JobHandler, job: JobRow, e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    if (isDatabaseUnavailable(e)) {
      // Not the job's fault: queued again at once, the attempt given back.
      await settle(`job ${job.kind}#${job.id}`, () =>
        failJob(services.db, job, id, message, {
          permanent: false,
          retryInMs: OUTAGE_RETRY_MS,
          countAttempt: false,
        }),
      );
      return;
    }
    const permanent = e instanceof PermanentJobError;
    // The failure is shown (onFailure) before the job leaves `running`, so whoever sees the
    // job settled also sees its failure recorded.
    await handler
      .onFailure?.(ctx, job, message, !isFinalFailure(job, permanent))
      .catch((err) => log("onFailure", err));
    const status = await settle(`job ${job.kind}#${job.id}`, () =>
      failJob(services.db, job, id, message, {
        permanent,
        retryInMs: backoffMs(job.attempts, backoffBaseMs),
      }),
    );
    log(`job ${job.kind}#${job.id} attempt ${job.attempts} failed (${status ?? "unrecorded"})`, e);
  };

  const runJob = async (job: JobRow) => {
    const handler = handlers[job.kind];
    if (!handler) return;
    try {
      await handler.run(ctx, job);
    } catch (e) {
      await failed(handler, job, e);
      return;
    }
    await completed([job]);
  };

  const batchesRunning = new Map<string, number>();
  const runBatch = async (kind: string, list: JobRow[]) => {
    const handler = handlers[kind];
    if (!handler?.batch) return;
    batchesRunning.set(kind, (batchesRunning.get(kind) ?? 0) + 1);
    try {
      try {
        await handler.batch.run(ctx, list);
      } catch (e) {
        if (isDatabaseUnavailable(e)) {
          // One by one would fail the same way: every job goes back to the queue.
          log(`batch of ${list.length} ${kind} jobs: the database is unreachable; queued again`, e);
          for (const job of list) await failed(handler, job, e);
        } else {
          log(`batch of ${list.length} ${kind} jobs failed; running them one by one`, e);
          for (const job of list) await runJob(job);
        }
        return;
      }
      await completed(list);
    } finally {
      batchesRunning.set(kind, (batchesRunning.get(kind) ?? 1) - 1);
    }
  };

  const start = (list: JobRow[], p: () => Promise<void>) => {
    for (const job of list) active.set(job.id, job);
    const tracked = p()
      .catch((e) => log("job runner failed", e))
      .finally(() => {
        for (const job of list) active.delete(job.id);
        running.delete(tracked);
        wake?.();
      });
    running.add(tracked);
  };

  const singleKinds = kinds.filter((k) => !handlers[k]?.batch);
  const batchKinds = kinds.filter((k) => handlers[k]?.batch);
  const round = async (): Promise<number> => {
    let free = concurrency - running.size;
    if (free <= 0 || stopped) return 0;
    const claimed = await claimJobs(services.db, { kinds: singleKinds, limit: free, workerId: id, leaseMs });
    for (const job of claimed) start([job], () => runJob(job));
    let n = claimed.length;
    // Each batch takes one slot of the concurrency.
    for (const kind of batchKinds) {
      free = concurrency - running.size;
      if (free <= 0 || stopped) break;
      const batch = handlers[kind]?.batch;
      if (!batch || (batchesRunning.get(kind) ?? 0) >= (batch.parallel ?? 2)) continue;
      const max = batch.max;
      const list = await claimJobs(services.db, { kinds: [kind], limit: max, workerId: id, leaseMs });
      if (list.length) start(list, () => runBatch(kind, list));
      n += list.length;
    }
    return n;
  };

  // The heartbeat: while this worker lives, its running jobs are not claimed by others.
  let beating = false;
  const heartbeat = setInterval(async () => {
    if (beating || active.size === 0) return;
    beating = true;
    const ids = [...active.keys()];
    try {
      const owned = await heartbeatJobs(services.db, ids, id);
      const lost = ids.filter((jobId) => !owned.has(jobId) && active.has(jobId));
      if (lost.length) log(`lease lost on job(s) ${lost.join(", ")} (no heartbeat for ${leaseMs} ms)`);
    } catch {
      // The database is unreachable: the next beat tries again (the lease outlasts a few misses).
    } finally {
      beating = false;
    }
  }, heartbeatMs);
  heartbeat.unref();

  // After a dropped LISTEN connection comes back, look for jobs whose wake-up was lost.
  const unlisten = await services.database.listen(JOBS_CHANNEL, () => wake?.(), {
    onReconnect: () => wake?.(),
  });
  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      let n = 0;
      let delay = pollMs;
      try {
        n = await round();
        if (failures) log(`job claims work again after ${failures} failure(s)`);
        failures = 0;
      } catch (e) {
        failures++;
        if (failures === 1) log("job claim failed; retrying with backoff", e);
        delay = isDatabaseUnavailable(e) ? outageDelay(failures) : pollMs;
      }
      if (n > 0 && running.size < concurrency) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, delay);
      });
      clearTimeout(timer);
      wake = undefined;
    }
  })();

  return {
    id,
    drain: async () => {
      const n = await round();
      await Promise.all([...running]);
      return n;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      wake?.();
      await loop;
      await Promise.all([...running]);
      clearInterval(heartbeat);
      await unlisten();
    },
  };
}
