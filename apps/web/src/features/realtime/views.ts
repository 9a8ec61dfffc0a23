/** Inbox views: their REST filters and the client-side test used to place live updates. */
import { FIXED_VIEW_KEYS, OPEN_STATUSES, type TicketStatus } from "@rapport/shared";
import type { Ticket } from "../../lib/types.ts";

export const FIXED_VIEWS = FIXED_VIEW_KEYS;

const OPEN: readonly TicketStatus[] = OPEN_STATUSES;
const PENDING: readonly TicketStatus[] = ["pending", "on_hold"];

/** GET /tickets query params for a view key. */
export function viewQuery(view: string): Record<string, string> {
  if (view.startsWith("team:")) return { status: OPEN.join(","), team: view.slice(5) };
  switch (view) {
    case "mine":
      return { status: OPEN.join(","), assignee: "me" };
    case "unassigned":
      return { status: OPEN.join(","), assignee: "none" };
    case "pending":
      return { status: PENDING.join(",") };
    case "solved":
      return { status: "solved" };
    default:
      return { status: OPEN.join(",") };
  }
}

/** Whether a ticket belongs in a view (mirror of the server's view definitions). */
export function inView(view: string, t: Ticket, meId: string): boolean {
  if (view.startsWith("team:")) return OPEN.includes(t.status) && t.team?.id === view.slice(5);
  switch (view) {
    case "mine":
      return OPEN.includes(t.status) && t.assignee?.id === meId;
    case "unassigned":
      return OPEN.includes(t.status) && !t.assignee;
    case "pending":
      return PENDING.includes(t.status);
    case "solved":
      return t.status === "solved";
    default:
      return OPEN.includes(t.status);
  }
}
