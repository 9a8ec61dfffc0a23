import type { RapportModule } from "../registry.ts";

export const promisesModule: RapportModule = {
  name: "promises",
};
