import type { RapportModule } from "../registry.ts";

export const slaModule: RapportModule = {
  name: "sla",
};
