import type { RapportModule } from "../registry.ts";

export const channelsModule: RapportModule = {
  name: "channels",
};
