import type { RapportModule } from "../registry.ts";
import { slaRoutes } from "./sla.routes.ts";
import { scheduleSweep, slaJobHandlers } from "./sweep.ts";

export { promisedFirstResponseAt } from "./clocks.ts";

export const slaModule: RapportModule = {
  name: "sla",
  routes: slaRoutes,
  jobs: slaJobHandlers,
  start: async (services) => {
    // The first sweep; each sweep schedules the next (one job per minute, across processes).
    if (services.config.jobs.enabled) await scheduleSweep(services.db, new Date());
    return { stop: async () => {} };
  },
};
