import type { RapportModule } from "../registry.ts";
import { scheduledRoutes } from "./scheduled.routes.ts";
import { runScheduled, SCHEDULED_JOB } from "./scheduled.service.ts";

/** Scheduled report emails: CRUD under /reports/schedules and the job that sends each run. */
export const reportsScheduledModule: RapportModule = {
  name: "reports-scheduled",
  routes: scheduledRoutes,
  jobs: {
    [SCHEDULED_JOB]: {
      run: async (ctx, job) => runScheduled(ctx, job.payload as { scheduleId: string; at: string }),
    },
  },
};
