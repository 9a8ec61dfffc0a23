import type { RapportModule } from "../registry.ts";
import { drilldownRoutes } from "./drilldown.routes.ts";

/** The dashboard's drill-down (its own module so the reports module's routes stay as they are). */
export const reportsDrilldownModule: RapportModule = {
  name: "reports-drilldown",
  routes: drilldownRoutes,
};
