import type { RapportModule } from "../registry.ts";

export const importsModule: RapportModule = {
  name: "imports",
};
