import type { RapportModule } from "../registry.ts";
import { macrosRoutes } from "./macros.routes.ts";

export const macrosModule: RapportModule = {
  name: "macros",
  routes: macrosRoutes,
};
