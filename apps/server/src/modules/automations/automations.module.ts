import type { RapportModule } from "../registry.ts";

export const automationsModule: RapportModule = {
  name: "automations",
};
