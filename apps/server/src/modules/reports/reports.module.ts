import type { RapportModule } from "../registry.ts";
import { reportsRoutes } from "./reports.routes.ts";

export const reportsModule: RapportModule = {
  name: "reports",
  routes: reportsRoutes,
};
