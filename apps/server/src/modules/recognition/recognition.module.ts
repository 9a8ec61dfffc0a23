import type { RapportModule } from "../registry.ts";
import { recognitionRoutes } from "./recognition.routes.ts";
import { MONTHLY_JOB, runMonthly, scheduleMonthly } from "./recognition.service.ts";

export const recognitionModule: RapportModule = {
  name: "recognition",
  routes: recognitionRoutes,
  jobs: {
    [MONTHLY_JOB]: {
      run: async (ctx) => {
        try {
          await runMonthly(ctx);
        } finally {
          await scheduleMonthly(ctx.db, ctx.now());
        }
      },
    },
  },
  start: async (services) => {
    if (services.config.jobs.enabled) await scheduleMonthly(services.db, services.now());
    return { stop: async () => {} };
  },
};
