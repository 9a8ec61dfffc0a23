import type { RapportModule } from "../registry.ts";

export const phoneModule: RapportModule = {
  name: "phone",
};
