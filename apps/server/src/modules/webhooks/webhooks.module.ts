import type { RapportModule } from "../registry.ts";

export const webhooksModule: RapportModule = {
  name: "webhooks",
};
