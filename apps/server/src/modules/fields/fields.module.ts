import type { RapportModule } from "../registry.ts";
import { fieldsRoutes } from "./fields.routes.ts";
import { listFields } from "./fields.service.ts";

export const fieldsModule: RapportModule = {
  name: "fields",
  routes: fieldsRoutes,
  bootstrap: { ticketFields: (ctx) => listFields(ctx, { entity: "ticket", archived: "false" }) },
};
