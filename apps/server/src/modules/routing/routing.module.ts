import type { RapportModule } from "../registry.ts";

export const routingModule: RapportModule = {
  name: "routing",
};
