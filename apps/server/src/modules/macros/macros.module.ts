import type { RapportModule } from "../registry.ts";

export const macrosModule: RapportModule = {
  name: "macros",
};
