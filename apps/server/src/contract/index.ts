/**
 * The API contract: the request and response shapes of /api/v1, inferred from the server's zod
 * schemas (decision 0012). The web app imports these as `import type { ... } from "@rapport/server/contract"`;
 * a changed schema breaks `tsc -b` for the web app, not a user's screen.
 *
 * Types only. Nothing here may export a value: the browser bundle never loads server code
 * (with verbatimModuleSyntax, a value import would also fail to compile).
 */

export type * from "./automations.ts";
export type * from "./channels.ts";
export type * from "./chat.ts";
export type * from "./compensations.ts";
export type * from "./core.ts";
export type * from "./csat.ts";
export type * from "./dossier.ts";
export type * from "./email.ts";
export type * from "./fields.ts";
export type * from "./kb.ts";
export type * from "./macros.ts";
export type * from "./notifications.ts";
export type * from "./phone.ts";
export type * from "./planner.ts";
export type * from "./promises.ts";
export type * from "./recognition.ts";
export type * from "./reports.ts";
export type * from "./schedules.ts";
export type * from "./settings.ts";
export type * from "./sla.ts";
export type * from "./tickets-ops.ts";
export type * from "./tone.ts";
export type * from "./value.ts";
export type * from "./views.ts";
