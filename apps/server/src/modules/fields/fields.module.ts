import type { RapportModule } from "../registry.ts";
import { fieldsRoutes } from "./fields.routes.ts";

export const fieldsModule: RapportModule = {
  name: "fields",
  routes: fieldsRoutes,
};
