import type { RapportModule } from "../registry.ts";
import { csatPreviewRoutes } from "./preview.routes.ts";

/** The survey admin's preview (its own module beside the survey module). */
export const csatPreviewModule: RapportModule = { name: "csat-preview", routes: csatPreviewRoutes };
