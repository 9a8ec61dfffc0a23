/** Kinds of customer timeline items (modules/dossier); "call", "callback" and "promise" come from other modules. */
export const TIMELINE_KINDS = [
  "message",
  "ticket_event",
  "planned_contact",
  "note",
  "event",
  "call",
  "callback",
  "promise",
  "order",
  "csat",
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
