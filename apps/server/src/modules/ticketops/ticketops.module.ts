import type { RapportModule } from "../registry.ts";
import { ticketopsRoutes } from "./ticketops.routes.ts";

/** Ticket merge, related links, split (docs/tickets.md). */
export const ticketopsModule: RapportModule = {
  name: "ticketops",
  routes: ticketopsRoutes,
};
