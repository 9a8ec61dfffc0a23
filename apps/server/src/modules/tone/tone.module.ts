import type { RapportModule } from "../registry.ts";
import { toneRoutes } from "./tone.routes.ts";

/** Tone check on agent replies and the angry-customer flag (docs/compensation-and-tone.md). */
export const toneModule: RapportModule = { name: "tone", routes: toneRoutes };
