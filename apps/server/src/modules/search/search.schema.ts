import { z } from "zod";
import { ZContact } from "../contacts/contacts.schema.ts";
import { ZTicket } from "../tickets/tickets.schema.ts";

export const SEARCH_TYPES = ["tickets", "messages", "contacts"] as const;

export const ZSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  types: z
    .preprocess(
      (v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v),
      z.array(z.enum(SEARCH_TYPES)).min(1),
    )
    .default([...SEARCH_TYPES]),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type TSearchQuery = z.infer<typeof ZSearchQuery>;

export const ZMessageHit = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  ticketNumber: z.number().int(),
  ticketSubject: z.string(),
  internal: z.boolean(),
  snippet: z.string(),
  createdAt: z.iso.datetime(),
});

export const ZSearchResult = z.object({
  /** Every asked-for group, most relevant first (how well its best hit matches the query); empty groups last. */
  groups: z.array(z.enum(SEARCH_TYPES)),
  tickets: z.array(ZTicket),
  messages: z.array(ZMessageHit),
  contacts: z.array(ZContact),
});
export type TSearchResult = z.infer<typeof ZSearchResult>;
