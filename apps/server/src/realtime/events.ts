import type { TTicketChanges } from "@rapport/shared";
import type { TicketState } from "../modules/views/view-keys.ts";
import type { DomainEvent } from "./bus.ts";

/**
 * A domain event as it travels between server processes (PostgreSQL NOTIFY) and sits in the
 * replay ring: ids and the view-relevant state before and after, never whole rows, so it
 * stays far below NOTIFY's 8000-byte payload limit. Each receiving process loads the rows.
 */
export type RealtimeEvent = {
  seq: number;
  kind: "ticket.created" | "ticket.updated" | "message.created";
  ticketId: string;
  messageId?: string;
  /** Team and assignee after the event: who may see it. */
  scope: { teamId: string | null; assigneeId: string | null };
  /** How the ticket moved between views (absent when its views did not change). */
  move?: { before: TicketState | null; after: TicketState };
  changes?: TTicketChanges;
};

/** Field changes whose values travel with the event; others travel as their names only. */
const SMALL_CHANGES = new Set(["status", "priority", "assigneeId", "teamId", "language"]);

const str = (v: unknown) => (typeof v === "string" ? v : null);

/** The realtime form of a domain event (undefined for events the websocket does not carry). */
export function toRealtimeEvent(e: DomainEvent): Omit<RealtimeEvent, "seq"> | undefined {
  switch (e.type) {
    case "ticket.created":
      return {
        kind: e.type,
        ticketId: e.ticketId,
        scope: { teamId: e.teamId, assigneeId: e.assigneeId },
        move: { before: null, after: { status: e.status, assigneeId: e.assigneeId, teamId: e.teamId } },
      };
    case "ticket.updated": {
      const c = e.changes;
      const changes: TTicketChanges = {};
      for (const [k, v] of Object.entries(c))
        changes[k] = SMALL_CHANGES.has(k) ? v : { from: null, to: null };
      return {
        kind: e.type,
        ticketId: e.ticketId,
        scope: { teamId: e.teamId, assigneeId: e.assigneeId },
        move: {
          before: {
            status: c.status ? String(c.status.from) : e.status,
            assigneeId: c.assigneeId ? str(c.assigneeId.from) : e.assigneeId,
            teamId: c.teamId ? str(c.teamId.from) : e.teamId,
          },
          after: { status: e.status, assigneeId: e.assigneeId, teamId: e.teamId },
        },
        changes,
      };
    }
    case "message.created": {
      const scope = { teamId: e.teamId, assigneeId: e.assigneeId };
      const s = e.statusChange;
      return {
        kind: e.type,
        ticketId: e.ticketId,
        messageId: e.messageId,
        scope,
        ...(s
          ? {
              move: { before: { ...scope, status: s.from }, after: { ...scope, status: s.to } },
              changes: { status: s },
            }
          : {}),
      };
    }
    default:
      return undefined;
  }
}
