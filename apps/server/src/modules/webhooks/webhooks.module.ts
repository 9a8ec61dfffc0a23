import type { RapportModule } from "../registry.ts";
import { webhooksRoutes } from "./webhooks.routes.ts";
import { webhookJobHandlers } from "./webhooks.service.ts";

export const webhooksModule: RapportModule = {
  name: "webhooks",
  routes: webhooksRoutes,
  jobs: webhookJobHandlers,
};
