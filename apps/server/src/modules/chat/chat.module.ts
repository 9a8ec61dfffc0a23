import type { RapportModule } from "../registry.ts";

export const chatModule: RapportModule = {
  name: "chat",
};
