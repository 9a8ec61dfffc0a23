import { CHANNELS, DELIVERY_STATUSES, SENTIMENTS, TICKET_PRIORITIES, TICKET_STATUSES } from "@rapport/shared";
import { z } from "zod";
import { ZTags } from "../../lib/tags.ts";
import { ZRequesterRef } from "../contacts/contacts.schema.ts";
import { ZCfFilters, ZCustomFields, ZCustomFieldsInput } from "../fields/fields.schema.ts";
import { ZReplyTone } from "../tone/tone.schema.ts";

export const ZSubject = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((s) => !/[\u0000\r\n]/.test(s), { message: "a subject is one line without NUL characters" });
const ZLang = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a BCP 47 language code such as vi or km");
const ZNoNul = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes("\u0000"), { message: "NUL characters are not allowed" });

export const ZTicketPermissions = z.object({
  reply: z.boolean(),
  note: z.boolean(),
  update: z.boolean(),
  assignOthers: z.boolean(),
  changeTeam: z.boolean(),
});

export const ZTicket = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(TICKET_PRIORITIES),
  channel: z.enum(CHANNELS),
  requester: z.object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable(),
    /** The customer's loyalty tier (customer value), for the badge; null: none. */
    tier: z.object({ name: z.string(), color: z.string() }).nullable(),
  }),
  assignee: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  team: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  tags: z.array(z.string()),
  language: z.string().nullable(),
  /** The angry-customer flag: the sentiment of the customer's latest message and the worst so far (null: none yet). */
  sentiment: z.enum(SENTIMENTS).nullable(),
  worstSentiment: z.enum(SENTIMENTS).nullable(),
  messageCount: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  firstResponseAt: z.iso.datetime().nullable(),
  lastMessageAt: z.iso.datetime().nullable(),
  solvedAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  /** The earliest due time of the ticket's running SLA clocks (null: none running). */
  nextDueAt: z.iso.datetime().nullable(),
  /** The caller has not opened the ticket since its last customer message. */
  unread: z.boolean(),
  permissions: ZTicketPermissions,
  /** Values of admin-defined ticket fields, by key (modules/fields). */
  customFields: ZCustomFields,
});
export type TTicket = z.infer<typeof ZTicket>;

export const ZAttachment = z.object({
  id: z.uuid(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  url: z.string(),
  createdAt: z.iso.datetime(),
});
export type TAttachment = z.infer<typeof ZAttachment>;

export const ZMessage = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  author: z.object({
    type: z.enum(["agent", "customer", "system"]),
    id: z.uuid().nullable(),
    name: z.string(),
  }),
  internal: z.boolean(),
  channel: z.enum(CHANNELS),
  bodyText: z.string(),
  bodyHtml: z.string(),
  attachments: z.array(ZAttachment),
  /** Delivery of an outgoing message on its channel; null for notes and inbound messages. */
  delivery: z
    .object({ status: z.enum(DELIVERY_STATUSES), error: z.string().nullable(), updatedAt: z.iso.datetime() })
    .nullable(),
  /** A customer message's sentiment (the angry-customer flag); null for agents' messages. */
  sentiment: z.enum(SENTIMENTS).nullable(),
  createdAt: z.iso.datetime(),
});
export type TMessage = z.infer<typeof ZMessage>;

/** A message body: plain text, or HTML (sanitized on write), or both. */
const ZBody = {
  body: ZNoNul(100_000).optional(),
  html: ZNoNul(500_000).optional(),
};
const hasBody = (m: { body?: string; html?: string }) => !!m.body?.trim() || !!m.html?.trim();

/** Confirmations a change needs: "open_promises" solves a ticket with open promises. */
const ZConfirm = z
  .array(z.enum(["open_promises"]))
  .max(5)
  .optional();

export const ZCreateMessage = z
  .strictObject({
    ...ZBody,
    internal: z.boolean().default(false),
    /** `customer` records a message from the requester (imports, integrations). */
    authorType: z.enum(["agent", "customer"]).default("agent"),
    attachmentIds: z.array(z.uuid()).max(20).default([]),
    /**
     * Set the ticket's status in the same step ("send and solve"), in the same transaction:
     * a refused status change (409, e.g. open promises) saves and sends nothing.
     */
    status: z.enum(TICKET_STATUSES).optional(),
    confirm: ZConfirm,
    /** The tone check made while typing: its language and the suggestions taken (modules/tone). */
    tone: ZReplyTone.optional(),
  })
  .refine(hasBody, { message: "body or html is required", path: ["body"] });
export type TCreateMessage = z.infer<typeof ZCreateMessage>;

export const ZCreateTicket = z.strictObject({
  subject: ZSubject,
  requester: ZRequesterRef,
  message: z
    .strictObject({
      ...ZBody,
      internal: z.boolean().default(false),
      attachmentIds: z.array(z.uuid()).max(20).default([]),
    })
    .refine(hasBody, { message: "body or html is required", path: ["body"] })
    .optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).default("normal"),
  channel: z.enum(CHANNELS).default("api"),
  assigneeId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  tags: ZTags.default([]),
  language: ZLang.nullable().optional(),
  customFields: ZCustomFieldsInput.optional(),
});
export type TCreateTicket = z.infer<typeof ZCreateTicket>;

export const ZUpdateTicket = z.strictObject({
  subject: ZSubject.optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  assigneeId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  tags: ZTags.optional(),
  addTags: ZTags.optional(),
  removeTags: ZTags.optional(),
  language: ZLang.nullable().optional(),
  confirm: ZConfirm,
  /** Only the keys given change; `null` clears a value. */
  customFields: ZCustomFieldsInput.optional(),
});
export type TUpdateTicket = z.infer<typeof ZUpdateTicket>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v),
    z.array(item).min(1).max(10),
  );

export const ZTicketQuery = z.strictObject({
  status: csv(z.enum(TICKET_STATUSES)).optional(),
  priority: csv(z.enum(TICKET_PRIORITIES)).optional(),
  channel: csv(z.enum(CHANNELS)).optional(),
  assignee: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional(),
  team: z.union([z.literal("none"), z.uuid()]).optional(),
  tag: z.string().max(64).optional(),
  requester: z.uuid().optional(),
  q: z.string().max(200).optional(),
  /** Custom field filters, sent as `cf.<key>[.<op>]=value` (see modules/fields). */
  cf: ZCfFilters,
  sort: z.enum(["updated", "created", "priority", "next_due"]).default("updated"),
  order: z.enum(["desc", "asc"]).default("desc"),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TTicketQuery = z.infer<typeof ZTicketQuery>;

export const ZTicketEvent = z.object({
  id: z.number().int(),
  type: z.string(),
  actor: z.object({ type: z.string(), id: z.uuid().nullable(), name: z.string().nullable() }),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
});
export type TTicketEvent = z.infer<typeof ZTicketEvent>;

export const ZPage = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
