import { TICKET_STATUSES } from "@rapport/shared";
import { z } from "zod";
import { ZTicket } from "../tickets/tickets.schema.ts";

export const MERGE_MAX_SOURCES = 20;

export const ZMergeTickets = z.strictObject({
  sourceIds: z.array(z.uuid()).min(1).max(MERGE_MAX_SOURCES),
  /** Merging tickets of different customers must be confirmed (the UI asks). */
  confirmCrossCustomer: z.boolean().default(false),
});
export type TMergeTickets = z.infer<typeof ZMergeTickets>;

export const ZMergeResult = z.object({
  target: ZTicket,
  merged: z.array(z.object({ id: z.uuid(), number: z.number().int(), movedMessages: z.number().int() })),
  crossCustomer: z.boolean(),
});
export type TMergeResult = z.infer<typeof ZMergeResult>;

/** A ticket as a link shows it. */
export const ZLinkedTicket = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status: z.enum(TICKET_STATUSES),
  requesterName: z.string(),
  linkedAt: z.string(),
});
export type TLinkedTicket = z.infer<typeof ZLinkedTicket>;

export const ZTicketLinks = z.object({
  /** The ticket this one was merged into (closed, its conversation moved there). */
  mergedInto: ZLinkedTicket.nullable(),
  /** Tickets merged into this one. */
  mergedFrom: z.array(ZLinkedTicket),
  related: z.array(ZLinkedTicket),
  /** Linked tickets the caller may not see: counted, never shown. */
  hidden: z.number().int(),
});
export type TTicketLinks = z.infer<typeof ZTicketLinks>;

export const ZAddLink = z.strictObject({ ticketId: z.uuid() });
export const ZRemoveLink = z.strictObject({ ticketId: z.uuid() });

export const ZSplitMessage = z.strictObject({
  /** The new ticket's subject (default: the old one's, marked as split). */
  subject: z.string().trim().min(1).max(500).optional(),
});
export const ZSplitParams = z.strictObject({ id: z.uuid(), messageId: z.uuid() });
export const ZSplitResult = z.object({ ticket: ZTicket, sourceId: z.uuid(), messageId: z.uuid() });
