import type { RapportModule } from "../registry.ts";
import { sideconvRoutes } from "./sideconv.routes.ts";

/** Side conversations: email threads with third parties, kept apart from the customer's (docs/tickets.md). */
export const sideconvModule: RapportModule = {
  name: "sideconv",
  routes: sideconvRoutes,
};
