/**
 * The websocket protocol between the agent web app and the server (`GET /api/v1/ws`).
 * One JSON object per frame. Documented in docs/realtime.md.
 *
 * `ticket` and `message` payloads are the REST shapes (TTicket of GET /api/v1/tickets/:id,
 * TMessage of GET /api/v1/tickets/:id/messages). Those schemas live with the server's tickets
 * module, so the frame types here are generic over them: the web app writes
 * `TServerFrame<TTicket, TMessage>` with its own imports of those shapes.
 */
import { z } from "zod";
import type { TNotificationFrame, TNotificationsUnreadFrame } from "./notifications.ts";

/** Largest client frame the server accepts (bytes); bigger frames close the socket (1009). */
export const REALTIME_MAX_CLIENT_FRAME = 4096;
/** A `typing: true` without a refresh expires after this many milliseconds. */
export const REALTIME_TYPING_TTL_MS = 6000;
/**
 * Counts stop at this number: a count equal to it means "at least this many" (show "10000+");
 * pushed deltas keep moving it, so such a count is approximate until the next recount.
 */
export const REALTIME_COUNT_CAP = 10000;

// ---- view keys ----------------------------------------------------------------------------

export const FIXED_VIEW_KEYS = ["mine", "unassigned", "all_open", "pending", "solved"] as const;
export type FixedViewKey = (typeof FIXED_VIEW_KEYS)[number];
/** `team:<teamId>` for each team of the agent (managers and admins: every team). */
export type TeamViewKey = `team:${string}`;
export type ViewKey = FixedViewKey | TeamViewKey;

export const ZViewKey = z.union([z.enum(FIXED_VIEW_KEYS), z.templateLiteral(["team:", z.uuid()])]);

export const teamViewKey = (teamId: string): TeamViewKey => `team:${teamId}`;
export const isTeamViewKey = (key: string): key is TeamViewKey => key.startsWith("team:");

/** Count of tickets per view key (GET /api/v1/views/counts, and the `hello` frame). */
export const ZViewCounts = z.record(z.string(), z.number().int());
export type TViewCounts = Record<string, number>;

// ---- client -> server ---------------------------------------------------------------------

export const ZClientResume = z.strictObject({
  type: z.literal("resume"),
  since: z.number().int().min(0),
});
export const ZClientWatch = z.strictObject({ type: z.literal("watch"), ticketId: z.uuid() });
export const ZClientUnwatch = z.strictObject({ type: z.literal("unwatch"), ticketId: z.uuid() });
export const ZClientTyping = z.strictObject({
  type: z.literal("typing"),
  ticketId: z.uuid(),
  typing: z.boolean(),
});
export const ZClientPing = z.strictObject({ type: z.literal("ping") });
/** The agent's custom views changed (created, edited, deleted): recount them now. */
export const ZClientViews = z.strictObject({ type: z.literal("views") });

export const ZClientFrame = z.discriminatedUnion("type", [
  ZClientResume,
  ZClientWatch,
  ZClientUnwatch,
  ZClientTyping,
  ZClientPing,
  ZClientViews,
]);
export type TClientFrame = z.infer<typeof ZClientFrame>;

// ---- server -> client ---------------------------------------------------------------------

/** Ticket field changes of an update: `{ status: { from: "new", to: "open" } }`. */
export const ZTicketChanges = z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }));
export type TTicketChanges = z.infer<typeof ZTicketChanges>;

export const ZPresenceAgent = z.object({
  userId: z.uuid(),
  name: z.string(),
  typing: z.boolean(),
});
export type TPresenceAgent = z.infer<typeof ZPresenceAgent>;

/** Error frame: the server could not use a client frame (the socket stays open). */
export const REALTIME_ERROR_CODES = ["invalid_json", "invalid_frame", "not_found"] as const;
export type RealtimeErrorCode = (typeof REALTIME_ERROR_CODES)[number];

/**
 * Builds the server-frame schema around the ticket and message schemas (the server passes
 * its ZTicket / ZMessage; a client that does not validate may pass z.unknown()).
 */
export function makeServerFrameSchema<T extends z.ZodType, M extends z.ZodType>(ticket: T, message: M) {
  return z.discriminatedUnion("type", [
    z.object({ type: z.literal("hello"), seq: z.number().int(), counts: ZViewCounts }),
    z.object({
      type: z.literal("ticket"),
      seq: z.number().int(),
      event: z.enum(["created", "updated"]),
      ticket,
      changes: ZTicketChanges.optional(),
    }),
    z.object({
      type: z.literal("message"),
      seq: z.number().int(),
      ticketId: z.uuid(),
      message,
    }),
    z.object({ type: z.literal("counts"), seq: z.number().int(), deltas: ZViewCounts }),
    z.object({ type: z.literal("view_counts"), counts: ZViewCounts }),
    z.object({ type: z.literal("presence"), ticketId: z.uuid(), agents: z.array(ZPresenceAgent) }),
    z.object({ type: z.literal("resync") }),
    z.object({ type: z.literal("pong") }),
    z.object({ type: z.literal("notification"), notification: z.unknown(), unread: z.number().int() }),
    z.object({ type: z.literal("notifications.unread"), unread: z.number().int() }),
    z.object({
      type: z.literal("error"),
      code: z.enum(REALTIME_ERROR_CODES),
      message: z.string(),
    }),
  ]);
}

export type THelloFrame = { type: "hello"; seq: number; counts: TViewCounts };
export type TTicketFrame<TTicket = unknown> = {
  type: "ticket";
  seq: number;
  event: "created" | "updated";
  ticket: TTicket;
  changes?: TTicketChanges;
};
export type TMessageFrame<TMessage = unknown> = {
  type: "message";
  seq: number;
  ticketId: string;
  message: TMessage;
};
export type TCountsFrame = { type: "counts"; seq: number; deltas: TViewCounts };
/**
 * The counts of the agent's custom views (`view:<id>`), absolute: recounted after ticket
 * events that concern the agent (a custom view's filters are not known to the event).
 */
export type TViewCountsFrame = { type: "view_counts"; counts: TViewCounts };
export type TPresenceFrame = { type: "presence"; ticketId: string; agents: TPresenceAgent[] };
export type TResyncFrame = { type: "resync" };
export type TPongFrame = { type: "pong" };
export type TErrorFrame = { type: "error"; code: RealtimeErrorCode; message: string };

export type TServerFrame<TTicket = unknown, TMessage = unknown> =
  | THelloFrame
  | TTicketFrame<TTicket>
  | TMessageFrame<TMessage>
  | TCountsFrame
  | TViewCountsFrame
  | TPresenceFrame
  | TResyncFrame
  | TPongFrame
  | TErrorFrame
  | TNotificationFrame
  | TNotificationsUnreadFrame;

// ---- REST bodies of issue 3 ---------------------------------------------------------------

export const BULK_MAX_IDS = 200;

/** POST /api/v1/tickets/bulk response. */
export const ZBulkResult = z.object({
  updated: z.array(z.uuid()),
  failed: z.array(z.object({ id: z.uuid(), code: z.string(), message: z.string() })),
});
export type TBulkResult = z.infer<typeof ZBulkResult>;
