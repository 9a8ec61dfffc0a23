import type { RapportModule } from "../registry.ts";
import { addBatchHook, addTicketHook } from "../tickets/hooks.ts";
import { messageHooks } from "../tickets/messages.service.ts";
import { onMessage, onTicketCreated, onTicketsCreated, onTicketUpdated } from "./clocks.ts";
import { slaRoutes } from "./sla.routes.ts";
import { scheduleSweep, slaJobHandlers } from "./sweep.ts";

addTicketHook("created", onTicketCreated);
addTicketHook("updated", onTicketUpdated);
if (!messageHooks.includes(onMessage)) messageHooks.push(onMessage);
addBatchHook("created", [onTicketCreated, onMessage], onTicketsCreated);

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
