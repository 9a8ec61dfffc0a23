import { TIMELINE_KINDS } from "@rapport/shared";
import { z } from "zod";
import { ZContact } from "../contacts/contacts.schema.ts";
import { ZCadenceOut, ZPlannedContact } from "../planner/planner.schema.ts";
import { ZTicket } from "../tickets/tickets.schema.ts";

export { TIMELINE_KINDS };

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v),
    z.array(item).min(1).max(10),
  );

export const ZTimelineQuery = z.strictObject({
  types: csv(z.enum(TIMELINE_KINDS)).optional(),
  channel: z
    .string()
    .regex(/^[a-z_]{1,32}$/)
    .optional(),
  q: z
    .string()
    .max(200)
    .refine((s) => !s.includes("\0"), "NUL bytes are not allowed")
    .optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TTimelineQuery = z.infer<typeof ZTimelineQuery>;

export const ZTimelineItem = z.object({
  /** Unique across kinds: "<kind>:<id>". */
  key: z.string(),
  kind: z.enum(TIMELINE_KINDS),
  id: z.string(),
  at: z.iso.datetime(),
  /** The channel for messages (email, chat, phone, web, api ...), the planned channel for planned contacts. */
  channel: z.string().nullable(),
  ticket: z.object({ id: z.uuid(), number: z.number(), subject: z.string() }).nullable(),
  /** message: author type; ticket_event/event: the event type; planned_contact: its status. */
  type: z.string(),
  internal: z.boolean(),
  text: z.string(),
  data: z.record(z.string(), z.unknown()),
  actorId: z.uuid().nullable(),
});
export type TTimelineItem = z.infer<typeof ZTimelineItem>;

export const ZTimelinePage = z.object({ items: z.array(ZTimelineItem), nextCursor: z.string().nullable() });

export const ZDossier = z.object({
  contact: ZContact,
  organization: z
    .object({
      id: z.uuid(),
      name: z.string(),
      domains: z.array(z.string()),
      tags: z.array(z.string()),
      accountOwner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    })
    .nullable(),
  accountOwner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  tags: z.array(z.string()),
  figures: z.object({
    tickets: z.object({ total: z.number(), byStatus: z.record(z.string(), z.number()) }),
    firstContactAt: z.iso.datetime().nullable(),
    lastContactAt: z.iso.datetime().nullable(),
  }),
  openTickets: z.array(ZTicket),
  lastContact: ZPlannedContact.nullable(),
  nextContact: ZPlannedContact.nullable(),
  cadence: ZCadenceOut,
  timeline: ZTimelinePage,
});

export const ZCreateNote = z.strictObject({
  body: z
    .string()
    .trim()
    .min(1)
    .max(20_000)
    .refine((s) => !s.includes("\0"), "NUL bytes are not allowed"),
});
