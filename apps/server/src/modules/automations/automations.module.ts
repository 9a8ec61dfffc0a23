import type { RapportModule } from "../registry.ts";
import { automationsRoutes } from "./automations.routes.ts";
import { scheduleSweep, timeRuleJobHandlers } from "./time-rules.service.ts";

export const automationsModule: RapportModule = {
  name: "automations",
  routes: automationsRoutes,
  jobs: timeRuleJobHandlers,
  start: async (services) => {
    if (services.config.jobs.enabled) await scheduleSweep(services.db, services.now());
    return { stop: async () => {} };
  },
};
