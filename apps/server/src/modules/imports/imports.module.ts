import type { RapportModule } from "../registry.ts";
import { importsRoutes } from "./imports.routes.ts";

export const importsModule: RapportModule = {
  name: "imports",
  routes: importsRoutes,
};
