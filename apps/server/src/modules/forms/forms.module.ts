import type { RapportModule } from "../registry.ts";

export const formsModule: RapportModule = {
  name: "forms",
};
