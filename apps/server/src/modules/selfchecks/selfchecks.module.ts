import type { RapportModule } from "../registry.ts";
import { selfChecksRoutes } from "./selfchecks.routes.ts";
import {
  CLOSE_JOB,
  closeCheckTicket,
  EXPIRE_JOB,
  expireCheck,
  PLAN_JOB,
  planWeek,
  RUN_JOB,
  runCheck,
  schedulePlanning,
} from "./selfchecks.service.ts";

export const selfChecksModule: RapportModule = {
  name: "selfchecks",
  routes: selfChecksRoutes,
  jobs: {
    [RUN_JOB]: { run: async (ctx, job) => runCheck(ctx, (job.payload as { runId: string }).runId) },
    [CLOSE_JOB]: {
      run: async (ctx, job) => closeCheckTicket(ctx, (job.payload as { ticketId: string }).ticketId),
    },
    [EXPIRE_JOB]: { run: async (ctx, job) => expireCheck(ctx, (job.payload as { runId: string }).runId) },
    [PLAN_JOB]: {
      run: async (ctx) => {
        try {
          await planWeek(ctx);
        } finally {
          await schedulePlanning(ctx, ctx.now());
        }
      },
    },
  },
  start: async (services) => {
    if (services.config.jobs.enabled) await schedulePlanning(services, services.now());
    return { stop: async () => {} };
  },
};
