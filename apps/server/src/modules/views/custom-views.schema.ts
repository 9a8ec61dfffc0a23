import {
  CHANNELS,
  SENTIMENTS,
  SLA_STATES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  VALUE_FIELDS,
  VIEW_COLUMNS,
  VIEW_SORTS,
} from "@rapport/shared";
import { z } from "zod";
import { ZCfFilters } from "../fields/fields.schema.ts";

export { SLA_STATES, VIEW_COLUMNS, VIEW_SORTS };
/** "due soon": the next target is within this many minutes. */
export const DUE_SOON_MINUTES = 60;

const ZTag = z.string().trim().toLowerCase().min(1).max(64);

/** A test of the requester's customer value (docs/customer-value.md), as in SLA policies and triggers. */
export const ZViewValueCondition = z
  .strictObject({
    field: z.enum(VALUE_FIELDS),
    op: z.enum(["is", "in", "gt", "lt"]),
    value: z.union([
      z.string().trim().min(1).max(100),
      z.number().finite(),
      z.array(z.string().trim().min(1).max(100)).min(1).max(20),
    ]),
  })
  .refine(
    (c) =>
      c.op === "in"
        ? Array.isArray(c.value)
        : c.op === "is"
          ? !Array.isArray(c.value)
          : typeof c.value === "number",
    { message: "in takes a list, gt and lt a number, is one value" },
  );

/** What a custom view shows: every filter is optional; all given ones must hold. */
export const ZViewFilters = z.strictObject({
  status: z.array(z.enum(TICKET_STATUSES)).min(1).max(TICKET_STATUSES.length).optional(),
  priority: z.array(z.enum(TICKET_PRIORITIES)).min(1).max(TICKET_PRIORITIES.length).optional(),
  channel: z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length).optional(),
  /** `me` is whoever looks at the view (a shared "my tickets in Billing" view). */
  assignee: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional(),
  team: z.union([z.literal("none"), z.uuid()]).optional(),
  /** The ticket has every one of these tags. */
  tags: z.array(ZTag).min(1).max(10).optional(),
  requester: z.uuid().optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, "a language code such as en, vi, km, ta")
    .optional(),
  sla: z.enum(SLA_STATES).optional(),
  /** The sentiment of the customer's latest message, and the worst one so far (the angry-customer flag). */
  sentiment: z.array(z.enum(SENTIMENTS)).min(1).max(SENTIMENTS.length).optional(),
  worstSentiment: z.array(z.enum(SENTIMENTS)).min(1).max(SENTIMENTS.length).optional(),
  /** The requester's customer value: segment, tier, lifetime spend, R score… (all must hold). */
  value: z.array(ZViewValueCondition).min(1).max(10).optional(),
  /** Words of the subject or tags. */
  q: z.string().trim().min(1).max(200).optional(),
  /** Custom fields, as in GET /tickets: `{ "order_id.empty": "false", "plan": "pro" }`. */
  cf: ZCfFilters,
});
export type TViewFilters = z.infer<typeof ZViewFilters>;

const ZColumn = z.union([z.enum(VIEW_COLUMNS), z.string().regex(/^cf\.[a-z][a-z0-9_]{0,47}$/, "cf.<key>")]);

const ZViewBody = {
  name: z.string().trim().min(1).max(80),
  filters: ZViewFilters,
  columns: z.array(ZColumn).min(1).max(12),
  sort: z.enum(VIEW_SORTS),
  order: z.enum(["desc", "asc"]),
  /** Empty: personal. Otherwise the teams whose members see the view. */
  teamIds: z.array(z.uuid()).max(50),
};
export const ZCreateView = z.strictObject({
  ...ZViewBody,
  columns: ZViewBody.columns.default(["number", "subject", "requester", "status", "priority", "updated"]),
  sort: ZViewBody.sort.default("updated"),
  order: ZViewBody.order.default("desc"),
  teamIds: ZViewBody.teamIds.default([]),
});
export type TCreateView = z.infer<typeof ZCreateView>;
export const ZUpdateView = z.strictObject({
  name: ZViewBody.name.optional(),
  filters: ZViewFilters.optional(),
  columns: ZViewBody.columns.optional(),
  sort: ZViewBody.sort.optional(),
  order: ZViewBody.order.optional(),
  teamIds: ZViewBody.teamIds.optional(),
});
export type TUpdateView = z.infer<typeof ZUpdateView>;

export const ZCustomView = z.object({
  id: z.uuid(),
  /** The realtime count key: `view:<id>`. */
  key: z.string(),
  name: z.string(),
  owner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  teamIds: z.array(z.uuid()),
  filters: ZViewFilters,
  columns: z.array(z.string()),
  sort: z.enum(VIEW_SORTS),
  order: z.enum(["desc", "asc"]),
  /** Whether the caller may change or delete it. */
  editable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TCustomView = z.infer<typeof ZCustomView>;

export const ZViewTicketsQuery = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
