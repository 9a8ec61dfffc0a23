import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import type { RapportModule } from "../registry.ts";
import { expirePoints, moveTiers, scheduleTierReview, TIER_REVIEW_JOB } from "./value.loyalty.ts";
import { recomputeAllValues } from "./value.refresh.ts";
import { REMINDERS_JOB, runReminders, scheduleReminders } from "./value.reminders.ts";
import { valueRoutes } from "./value.routes.ts";

export const NIGHTLY_JOB = "value.nightly";
/** The nightly recompute runs at 01:00 UTC. */
const NIGHTLY_HOUR_UTC = 1;

export function nextNightly(now: Date): Date {
  const next = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), NIGHTLY_HOUR_UTC),
  );
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

/** One job per night, whichever process enqueues it first (dedupe key: the night). */
export async function scheduleNightly(db: DbOrTx, now: Date) {
  const at = nextNightly(now);
  await enqueue(db, NIGHTLY_JOB, {}, { runAt: at, dedupeKey: at.toISOString(), maxAttempts: 3 });
}

export const valueModule: RapportModule = {
  name: "value",
  routes: valueRoutes,
  jobs: {
    [NIGHTLY_JOB]: {
      run: async (ctx) => {
        try {
          await recomputeAllValues(ctx.db, ctx.now());
          await expirePoints(ctx.db, ctx.now());
          await moveTiers(ctx.db, "all", ctx.now(), "up");
        } finally {
          await scheduleNightly(ctx.db, ctx.now());
        }
      },
    },
    [TIER_REVIEW_JOB]: {
      run: async (ctx) => {
        try {
          await moveTiers(ctx.db, "all", ctx.now(), "review");
        } finally {
          await scheduleTierReview(ctx.db, ctx.now());
        }
      },
    },
    [REMINDERS_JOB]: {
      run: async (ctx) => {
        try {
          await runReminders(ctx);
        } finally {
          await scheduleReminders(ctx.db, ctx.now());
        }
      },
    },
  },
  start: async (services) => {
    if (services.config.jobs.enabled) {
      await scheduleNightly(services.db, services.now());
      await scheduleReminders(services.db, services.now());
      await scheduleTierReview(services.db, services.now());
    }
    return { stop: async () => {} };
  },
};
