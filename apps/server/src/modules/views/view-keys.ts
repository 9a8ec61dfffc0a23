import {
  FIXED_VIEW_KEYS,
  OPEN_STATUSES,
  type TViewCounts,
  teamViewKey,
  type ViewKey,
  WAITING_STATUSES,
} from "@rapport/shared";
import type { AgentActor } from "../../auth/actor.ts";
import { can } from "../../auth/policies.ts";

/** What decides which views a ticket is in. */
export type TicketState = { status: string; assigneeId: string | null; teamId: string | null };

const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);
const isWaiting = (status: string) => (WAITING_STATUSES as readonly string[]).includes(status);

/** Whether the viewer has a `team:<id>` view for this team (own teams; managers/admins: all). */
export const hasTeamView = (viewer: AgentActor, teamId: string) => can(viewer, "team.use", { teamId });

/**
 * The views (see packages/shared/src/realtime.ts) a ticket in this state belongs to, for
 * this viewer. A ticket the viewer may not see is in none of them.
 */
export function viewKeysOf(viewer: AgentActor, t: TicketState): ViewKey[] {
  if (!can(viewer, "ticket.read", t)) return [];
  if (isWaiting(t.status)) return ["pending"];
  if (t.status === "solved") return ["solved"];
  if (!isOpen(t.status)) return [];
  const keys: ViewKey[] = ["all_open"];
  if (t.assigneeId === viewer.userId) keys.push("mine");
  if (t.assigneeId === null) keys.push("unassigned");
  if (t.teamId !== null && hasTeamView(viewer, t.teamId)) keys.push(teamViewKey(t.teamId));
  return keys;
}

/**
 * How the viewer's counts move when a ticket goes from `before` to `after` (null: it did
 * not exist / no longer exists). Keys that do not move are left out.
 */
export function countDeltas(viewer: AgentActor, before: TicketState | null, after: TicketState | null) {
  const deltas: TViewCounts = {};
  for (const k of before ? viewKeysOf(viewer, before) : []) deltas[k] = (deltas[k] ?? 0) - 1;
  for (const k of after ? viewKeysOf(viewer, after) : []) deltas[k] = (deltas[k] ?? 0) + 1;
  for (const [k, v] of Object.entries(deltas)) if (v === 0) delete deltas[k];
  return deltas;
}

/** The view keys a viewer has: the fixed ones and one per team (`teamIds`: their team views). */
export const viewKeysFor = (teamIds: string[]): ViewKey[] => [
  ...FIXED_VIEW_KEYS,
  ...teamIds.map(teamViewKey),
];
