/** Custom views' vocabulary (modules/views/custom-views.schema.ts and the web app's view editor). */

/** SLA state of a ticket, from its earliest running clock (`next_due_at`). */
export const SLA_STATES = ["overdue", "due_soon", "running", "none"] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const VIEW_COLUMNS = [
  "number",
  "subject",
  "requester",
  "status",
  "priority",
  "assignee",
  "team",
  "channel",
  "tags",
  "language",
  "updated",
  "created",
  "next_due",
] as const;
export const VIEW_SORTS = ["updated", "created", "priority", "next_due"] as const;
