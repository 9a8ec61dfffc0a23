import { SYSTEM } from "../auth/actor.ts";
import { type Ctx, type Services, withActor } from "../context.ts";
import {
  backoffMs,
  claimJobs,
  completeJob,
  completeJobs,
  failJob,
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
  /** A running job whose worker has been silent this long is claimed again. */
  leaseMs?: number;
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

/**
 * Starts a worker loop: wakes on NOTIFY (commit of an enqueue) or every `pollMs`,
 * claims jobs with SKIP LOCKED, runs their handlers, retries with exponential
 * backoff, records permanent failures. Several workers (in one or many server
 * processes) never run the same job twice at once.
 */
export async function startWorker(
  services: Services,
  handlers: JobHandlers,
  opts: WorkerOptions = {},
): Promise<Worker> {
  const id = opts.workerId ?? newWorkerId();
  const concurrency = opts.concurrency ?? 4;
  const pollMs = opts.pollMs ?? 1000;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const backoffBaseMs = opts.backoffBaseMs ?? 5000;
  const log = opts.log ?? (() => {});
  const kinds = Object.keys(handlers);
  const ctx = withActor(services, SYSTEM);
  const running = new Set<Promise<void>>();
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const runJob = async (job: JobRow) => {
    const handler = handlers[job.kind];
    if (!handler) return;
    try {
      await handler.run(ctx, job);
      await completeJob(services.db, job, id);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const permanent = e instanceof PermanentJobError;
      const status = await failJob(services.db, job, id, message, {
        permanent,
        retryInMs: backoffMs(job.attempts, backoffBaseMs),
      });
      log(`job ${job.kind}#${job.id} attempt ${job.attempts} failed (${status})`, e);
      await handler.onFailure?.(ctx, job, message, status === "queued").catch((err) => log("onFailure", err));
    }
  };

  const batchesRunning = new Map<string, number>();
  const runBatch = async (kind: string, list: JobRow[]) => {
    const batch = handlers[kind]?.batch;
    if (!batch) return;
    batchesRunning.set(kind, (batchesRunning.get(kind) ?? 0) + 1);
    try {
      await batch.run(ctx, list);
      await completeJobs(services.db, list, id);
    } catch (e) {
      log(`batch of ${list.length} ${kind} jobs failed; running them one by one`, e);
      for (const job of list) await runJob(job);
    } finally {
      batchesRunning.set(kind, (batchesRunning.get(kind) ?? 1) - 1);
    }
  };

  const start = (p: Promise<void>) => {
    const tracked = p.finally(() => {
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
    for (const job of claimed) start(runJob(job));
    let n = claimed.length;
    // Each batch takes one slot of the concurrency.
    for (const kind of batchKinds) {
      free = concurrency - running.size;
      if (free <= 0 || stopped) break;
      const batch = handlers[kind]?.batch;
      if (!batch || (batchesRunning.get(kind) ?? 0) >= (batch.parallel ?? 2)) continue;
      const max = batch.max;
      const list = await claimJobs(services.db, { kinds: [kind], limit: max, workerId: id, leaseMs });
      if (list.length) start(runBatch(kind, list));
      n += list.length;
    }
    return n;
  };

  // After a dropped LISTEN connection comes back, look for jobs whose wake-up was lost.
  const unlisten = await services.database.listen(JOBS_CHANNEL, () => wake?.(), {
    onReconnect: () => wake?.(),
  });
  const loop = (async () => {
    while (!stopped) {
      let n = 0;
      try {
        n = await round();
      } catch (e) {
        log("job claim failed", e);
      }
      if (n > 0 && running.size < concurrency) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pollMs);
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
      await unlisten();
    },
  };
}
