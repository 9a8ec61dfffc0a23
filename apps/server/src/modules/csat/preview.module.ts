import type { RapportModule } from "../registry.ts";
import { csatPreviewRoutes } from "./preview.routes.ts";

/** The survey admin's preview and editable wording (its own module beside the survey module). */
export const csatPreviewModule: RapportModule = { name: "csat-preview", routes: csatPreviewRoutes };
