/** The customer dossier (modules/dossier): summary, figures and the paged timeline. */
import type { z } from "zod";
import type { ZDossier, ZTimelineItem, ZTimelinePage } from "../modules/dossier/dossier.schema.ts";

export type Dossier = z.output<typeof ZDossier>;
export type TimelineItem = z.output<typeof ZTimelineItem>;
export type TimelinePage = z.output<typeof ZTimelinePage>;
