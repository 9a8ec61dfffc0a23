import type { RapportModule } from "../registry.ts";
import { formsRoutes } from "./forms.routes.ts";

export const formsModule: RapportModule = {
  name: "forms",
  routes: formsRoutes,
};
