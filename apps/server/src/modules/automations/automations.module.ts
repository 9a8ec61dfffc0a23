import type { RapportModule } from "../registry.ts";
import { automationsRoutes } from "./automations.routes.ts";
import { listNotifications } from "./notifications.service.ts";
import { scheduleSweep, timeRuleJobHandlers } from "./time-rules.service.ts";

export const automationsModule: RapportModule = {
  name: "automations",
  routes: automationsRoutes,
  jobs: timeRuleJobHandlers,
  bootstrap: { notifications: (ctx) => listNotifications(ctx, { limit: 50 }) },
  start: async (services) => {
    if (services.config.jobs.enabled) await scheduleSweep(services.db, services.now());
    return { stop: async () => {} };
  },
};
