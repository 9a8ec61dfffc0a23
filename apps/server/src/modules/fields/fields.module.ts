import type { RapportModule } from "../registry.ts";

export const fieldsModule: RapportModule = {
  name: "fields",
};
