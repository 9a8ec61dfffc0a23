import type { RapportModule } from "../registry.ts";
import { routingRoutes } from "./routing.routes.ts";

export const routingModule: RapportModule = {
  name: "routing",
  routes: routingRoutes,
};
