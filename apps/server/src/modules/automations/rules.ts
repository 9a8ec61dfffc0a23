import {
  CHANNELS,
  foldText,
  RULE_OPS,
  type RuleOp,
  SENTIMENTS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from "@rapport/shared";
import { and, eq, inArray, isNotNull, isNull, ne, not, notInArray, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { containsPattern } from "../../lib/search.ts";
import { ZTags } from "../../lib/tags.ts";
import type { TicketChanges } from "../tickets/pipeline.ts";
import type { TicketRow } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { isValueField, type Requester, valueFact } from "../value/value.facts.ts";

export { TRIGGER_EVENTS, type TriggerEvent } from "@rapport/shared";
/** Condition operators (the vocabulary is in packages/shared, which the web app reads too). */
export const OPS = RULE_OPS;
export type Op = RuleOp;

/** Ticket columns a condition may name, and the key of the change they appear under. */
const TICKET_FIELDS: Record<string, keyof TicketRow> = {
  status: "status",
  priority: "priority",
  channel: "channel",
  subject: "subject",
  tags: "tags",
  language: "language",
  team_id: "teamId",
  assignee_id: "assigneeId",
  requester_id: "requesterId",
  message_count: "messageCount",
  /** The latest and the worst customer message's sentiment (modules/tone/sentiment.ts). */
  sentiment: "sentiment",
  worst_sentiment: "worstSentiment",
};
/** Hours since a ticket timestamp: the fields of time-based rules ("pending for 72 hours"). */
export const HOURS_SINCE: Record<string, keyof TicketRow> = {
  hours_since_created: "createdAt",
  hours_since_updated: "updatedAt",
  hours_since_solved: "solvedAt",
  hours_since_last_message: "lastMessageAt",
  hours_since_customer_message: "lastCustomerMessageAt",
};
const CONTACT_FIELDS = ["name", "email", "language", "tags", "organization_id"] as const;
const MESSAGE_FIELDS = ["body", "author_type", "internal", "channel", "sentiment"] as const;
/** The rating a `csat.rated` trigger sees: 1-5 (or 1 good / 0 bad), good (true/false), the comment. */
const CSAT_FIELDS = ["rating", "good", "comment", "scale"] as const;

const SENTIMENT_FIELDS = ["ticket.sentiment", "ticket.worst_sentiment", "message.sentiment"];

const FIELD_RE = /^(ticket|contact|message|csat|value)\.([a-z_]+)(?:\.([A-Za-z0-9_-]{1,64}))?$/;
export function knownField(field: string, scope: "trigger" | "time"): boolean {
  const m = FIELD_RE.exec(field);
  if (!m) return false;
  const [, entity, name = "", sub] = m;
  if (name === "custom")
    return sub !== undefined && (entity === "ticket" || entity === "contact") && scope === "trigger";
  if (sub !== undefined) return false;
  if (entity === "ticket") return name in TICKET_FIELDS || name in HOURS_SINCE;
  if (scope === "time") return false;
  if (entity === "value") return isValueField(name);
  if (entity === "contact") return (CONTACT_FIELDS as readonly string[]).includes(name);
  if (entity === "csat") return (CSAT_FIELDS as readonly string[]).includes(name);
  return (MESSAGE_FIELDS as readonly string[]).includes(name);
}

const ZValue = z.union([
  z.string().max(1000),
  z.number().finite(),
  z.boolean(),
  z.array(z.string().max(200)).max(100),
  z.null(),
]);
export const ZCondition = z.strictObject({
  field: z.string().max(100),
  op: z.enum(OPS),
  value: ZValue.optional(),
});
export type Condition = z.infer<typeof ZCondition>;

const ZText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes("\u0000"), { message: "NUL characters are not allowed" });

export const ZAction = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("set_status"), value: z.enum(TICKET_STATUSES) }),
  z.strictObject({ type: z.literal("set_priority"), value: z.enum(TICKET_PRIORITIES) }),
  z.strictObject({
    type: z.literal("set_language"),
    value: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/),
  }),
  z.strictObject({
    type: z.literal("assign"),
    teamId: z.uuid().nullable().optional(),
    assigneeId: z.uuid().nullable().optional(),
  }),
  z.strictObject({ type: z.literal("add_tags"), tags: ZTags.refine((t) => t.length > 0) }),
  z.strictObject({ type: z.literal("remove_tags"), tags: ZTags.refine((t) => t.length > 0) }),
  z.strictObject({ type: z.literal("add_note"), body: ZText(20_000).refine((s) => s.trim().length > 0) }),
  z.strictObject({
    type: z.literal("send_email"),
    to: z.enum(["requester", "assignee"]),
    subject: ZText(300).refine((s) => s.trim().length > 0 && !/[\r\n]/.test(s)),
    body: ZText(20_000).refine((s) => s.trim().length > 0),
  }),
  z.strictObject({
    type: z.literal("notify"),
    to: z.union([z.enum(["assignee", "team", "managers", "admins"]), z.uuid()]),
    title: ZText(300).refine((s) => s.trim().length > 0),
  }),
  z.strictObject({ type: z.literal("webhook"), webhookId: z.uuid() }),
]);
export type Action = z.infer<typeof ZAction>;

export type CsatFacts = { rating: number; good: boolean; comment: string | null; scale: string };
export type Facts = {
  ticket: TicketRow;
  contact: {
    name: string;
    email: string | null;
    language: string | null;
    tags: string[];
    organizationId: string | null;
    customFields: Record<string, unknown>;
  } | null;
  message: {
    bodyText: string;
    authorType: string;
    internal: boolean;
    channel: string;
    sentiment?: string | null;
  } | null;
  /** The requester's value figures (`value.segment`, `value.tier`, `value.lifetime_spent`...). */
  value?: Requester["value"] | null;
  /** The survey answer, for `csat.rated` triggers. */
  csat?: CsatFacts | null;
  changes: TicketChanges;
  now: Date;
};

function fieldValue(f: Facts, field: string): unknown {
  const parsed = FIELD_RE.exec(field);
  const entity = parsed?.[1];
  const name = parsed?.[2];
  const sub = parsed?.[3];
  if (!entity || !name) return undefined;
  if (entity === "ticket") {
    if (name === "custom")
      return ((f.ticket as Record<string, unknown>).customFields as Record<string, unknown> | undefined)?.[
        sub ?? ""
      ];
    const col = TICKET_FIELDS[name];
    if (col) return f.ticket[col];
    const ts = HOURS_SINCE[name];
    const at = ts ? (f.ticket[ts] as Date | null) : null;
    return at ? (f.now.getTime() - at.getTime()) / 3600_000 : null;
  }
  if (entity === "contact") {
    const c = f.contact;
    if (!c) return null;
    if (name === "custom") return c.customFields[sub ?? ""];
    return {
      name: c.name,
      email: c.email,
      language: c.language,
      tags: c.tags,
      organization_id: c.organizationId,
    }[name];
  }
  if (entity === "value") return valueFact(f.value, name, f.now);
  if (entity === "csat") {
    const c = f.csat;
    return c ? { rating: c.rating, good: c.good, comment: c.comment, scale: c.scale }[name] : null;
  }
  const m = f.message;
  if (!m) return null;
  return {
    body: m.bodyText,
    author_type: m.authorType,
    internal: m.internal,
    channel: m.channel,
    sentiment: m.sentiment ?? null,
  }[name];
}

const norm = (v: unknown) => (typeof v === "string" ? foldText(v).trim() : v);
const eqv = (a: unknown, b: unknown) => {
  if (typeof a === "boolean" || typeof b === "boolean") return String(a) === String(b);
  if (typeof a === "number" || typeof b === "number") return Number(a) === Number(b);
  return norm(a ?? "") === norm(b ?? "");
};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const isEmpty = (v: unknown) =>
  v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

export function evaluate(c: Condition, f: Facts): boolean {
  const actual = fieldValue(f, c.field);
  const v = c.value;
  switch (c.op) {
    case "is":
      return Array.isArray(actual) ? actual.some((a) => eqv(a, v)) : eqv(actual, v);
    case "is_not":
      return !evaluate({ ...c, op: "is" }, f);
    case "contains":
      if (Array.isArray(actual)) return actual.some((a) => eqv(a, v));
      return typeof actual === "string" && String(norm(actual)).includes(String(norm(String(v ?? ""))));
    case "not_contains":
      return !evaluate({ ...c, op: "contains" }, f);
    case "starts_with":
      return typeof actual === "string" && String(norm(actual)).startsWith(String(norm(String(v ?? ""))));
    case "in":
      return list(v).some((x) => eqv(actual, x));
    case "not_in":
      return !list(v).some((x) => eqv(actual, x));
    case "includes":
      return list(v).every((x) => list(actual).some((a) => eqv(a, x)));
    case "not_includes":
      return !list(v).some((x) => list(actual).some((a) => eqv(a, x)));
    case "is_empty":
      return isEmpty(actual);
    case "not_empty":
      return !isEmpty(actual);
    case "gt":
      return typeof actual === "number" && actual > Number(v);
    case "lt":
      return typeof actual === "number" && actual < Number(v);
    case "changed":
    case "changed_to":
    case "changed_from": {
      const m = FIELD_RE.exec(c.field);
      const col = m?.[1] === "ticket" && m[2] ? TICKET_FIELDS[m[2]] : undefined;
      const ch = col ? f.changes[col] : undefined;
      if (!ch) return false;
      if (c.op === "changed") return true;
      return eqv(c.op === "changed_to" ? ch.to : ch.from, v);
    }
  }
}

export function matches(match: "all" | "any", conditions: Condition[], f: Facts): boolean {
  if (conditions.length === 0) return true;
  return match === "all" ? conditions.every((c) => evaluate(c, f)) : conditions.some((c) => evaluate(c, f));
}

/** Checks each condition names a known field with a fitting operator (400 otherwise). */
export function conditionErrors(conditions: Condition[], scope: "trigger" | "time"): string[] {
  const errors: string[] = [];
  conditions.forEach((c, i) => {
    if (!knownField(c.field, scope)) errors.push(`conditions.${i}.field: unknown field ${c.field}`);
    else if (scope === "time" && c.op.startsWith("changed"))
      errors.push(`conditions.${i}.op: time-based rules have no changes to look at`);
    const needsValue = !["is_empty", "not_empty", "changed"].includes(c.op);
    if (needsValue && (c.value === undefined || c.value === null))
      errors.push(`conditions.${i}.value: ${c.op} needs a value`);
    if ((c.op === "gt" || c.op === "lt") && typeof c.value !== "number")
      errors.push(`conditions.${i}.value: ${c.op} needs a number`);
    if (
      SENTIMENT_FIELDS.includes(c.field) &&
      needsValue &&
      !list(c.value).every((v) => SENTIMENTS.includes(v as never))
    )
      errors.push(`conditions.${i}.value: a sentiment is one of ${SENTIMENTS.join(", ")}`);
  });
  return errors;
}

/**
 * A time-based rule's conditions as one SQL condition over `tickets` (set-based evaluation:
 * one statement finds every matching ticket). Only ticket fields are allowed in time rules.
 */
export function conditionsSql(match: "all" | "any", conditions: Condition[], now: Date): SQL | undefined {
  const parts = conditions.map((c) => conditionSql(c, now));
  if (parts.length === 0) return undefined;
  return match === "all" ? and(...parts) : or(...parts);
}

const COLUMNS = {
  status: tickets.status,
  priority: tickets.priority,
  channel: tickets.channel,
  subject: tickets.subjectFolded,
  tags: tickets.tags,
  language: tickets.language,
  team_id: tickets.teamId,
  assignee_id: tickets.assigneeId,
  requester_id: tickets.requesterId,
  message_count: tickets.messageCount,
  sentiment: tickets.sentiment,
  worst_sentiment: tickets.worstSentiment,
} as const;
const STAMPS = {
  hours_since_created: tickets.createdAt,
  hours_since_updated: tickets.updatedAt,
  hours_since_solved: tickets.solvedAt,
  hours_since_last_message: tickets.lastMessageAt,
  hours_since_customer_message: tickets.lastCustomerMessageAt,
} as const;

function conditionSql(c: Condition, now: Date): SQL {
  const name = c.field.replace(/^ticket\./, "");
  const values = list(c.value).map(String);
  const stamp = STAMPS[name as keyof typeof STAMPS];
  if (stamp) {
    // "more than N hours since": the stamp is older than now - N hours (an index range on the stamp).
    const edge = new Date(now.getTime() - Number(c.value) * 3600_000);
    if (c.op === "gt") return sql`${stamp} < ${edge}`;
    if (c.op === "lt") return sql`${stamp} > ${edge}`;
    if (c.op === "is_empty") return isNull(stamp);
    if (c.op === "not_empty") return isNotNull(stamp);
    return sql`false`;
  }
  const col = COLUMNS[name as keyof typeof COLUMNS];
  if (!col) return sql`false`;
  if (col === tickets.tags) {
    const arr = sql`array[${sql.join(
      values.map((v) => sql`${v.toLowerCase()}`),
      sql`, `,
    )}]::text[]`;
    if (c.op === "is" || c.op === "includes" || c.op === "contains") return sql`${tickets.tags} @> ${arr}`;
    if (c.op === "is_not" || c.op === "not_includes" || c.op === "not_contains")
      return sql`not (${tickets.tags} && ${arr})`;
    if (c.op === "is_empty") return sql`cardinality(${tickets.tags}) = 0`;
    if (c.op === "not_empty") return sql`cardinality(${tickets.tags}) > 0`;
    return sql`false`;
  }
  if (col === tickets.subjectFolded) {
    const folded = foldText(String(c.value ?? "")).trim();
    if (c.op === "contains") return sql`${col} like ${containsPattern(folded)}`;
    if (c.op === "not_contains") return sql`${col} not like ${containsPattern(folded)}`;
    if (c.op === "is") return eq(col, folded);
    if (c.op === "is_not") return ne(col, folded);
    return sql`false`;
  }
  const typed = col === tickets.messageCount ? values.map(Number) : values;
  switch (c.op) {
    case "is":
    case "in":
      return typed.length ? inArray(col, typed as never[]) : sql`false`;
    case "is_not":
    case "not_in":
      return typed.length ? (or(isNull(col), notInArray(col, typed as never[])) ?? sql`true`) : sql`true`;
    case "is_empty":
      return isNull(col);
    case "not_empty":
      return isNotNull(col);
    case "gt":
      return sql`${col} > ${Number(c.value)}`;
    case "lt":
      return sql`${col} < ${Number(c.value)}`;
    default:
      return not(sql`true`);
  }
}

/** Status values, channel values: exported for the admin UI's pickers (through the schema). */
export const FIELD_VALUES = { status: TICKET_STATUSES, priority: TICKET_PRIORITIES, channel: CHANNELS };
