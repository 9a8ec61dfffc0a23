import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.ts";
import { escapeHtml, textToHtml } from "../../lib/html.ts";
import { contactEmails, contacts } from "../contacts/contacts.table.ts";
import { selectPolicy } from "../sla/clocks.ts";
import type { TicketRow } from "../tickets/tickets.service.ts";

/** The default response-time promise (the built-in SLA: first response within 10 business hours). */
export const DEFAULT_PROMISE_HOURS = 10;

const HOURS_PHRASE: Record<string, (h: number, business: boolean) => string> = {
  en: (h, b) => `${h} ${b ? "business hours" : "hours"}`,
  vi: (h, b) => `${h} ${b ? "giờ làm việc" : "giờ"}`,
  km: (h, b) => `${h} ${b ? "ម៉ោងធ្វើការ" : "ម៉ោង"}`,
  ta: (h, b) => `${h} ${b ? "வேலை நேரங்கள்" : "மணிநேரம்"}`,
};

/** The first-response promise of the SLA policy that applies to the ticket (default: 10 business hours). */
export async function promisedResponse(
  db: DbOrTx,
  ticket: TicketRow,
): Promise<{ hours: number; business: boolean }> {
  const policy = await selectPolicy(db, ticket);
  const first = policy.targets.firstResponse;
  if (first) return { hours: Math.round((first.minutes / 60) * 10) / 10, business: first.business };
  return { hours: DEFAULT_PROMISE_HOURS, business: true };
}

/** Names written family name first (Vietnamese, Khmer): the given name is the last word. */
const FAMILY_FIRST = new Set(["vi", "km"]);
export function firstName(name: string, language: string | null): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "";
  return (FAMILY_FIRST.has((language ?? "").split("-")[0] ?? "") ? words.at(-1) : words[0]) ?? "";
}

export const PLACEHOLDERS = [
  "customer.first_name",
  "customer.name",
  "customer.email",
  "ticket.number",
  "ticket.subject",
  "ticket.status",
  "ticket.priority",
  "agent.name",
  "agent.first_name",
  "promised_response_time",
] as const;
export type PlaceholderValues = Partial<Record<(typeof PLACEHOLDERS)[number], string>>;

/** The values of every placeholder for a ticket, its requester and the acting agent. */
export async function placeholderValues(
  db: DbOrTx,
  ticket: TicketRow,
  agent: { name: string } | null,
  locale: string,
): Promise<PlaceholderValues> {
  const promise = await promisedResponse(db, ticket);
  const [contact] = await db.select().from(contacts).where(eq(contacts.id, ticket.requesterId));
  const [email] = await db
    .select({ email: contactEmails.email })
    .from(contactEmails)
    .where(eq(contactEmails.contactId, ticket.requesterId))
    .orderBy(asc(contactEmails.createdAt))
    .limit(1);
  const name = contact?.name ?? "";
  const lang = ticket.language ?? contact?.language ?? locale;
  const phrase = HOURS_PHRASE[locale] ?? HOURS_PHRASE.en;
  return {
    "customer.first_name": firstName(name, lang),
    "customer.name": name,
    "customer.email": email?.email ?? "",
    "ticket.number": String(ticket.number),
    "ticket.subject": ticket.subject,
    "ticket.status": ticket.status,
    "ticket.priority": ticket.priority,
    "agent.name": agent?.name ?? "",
    "agent.first_name": agent ? firstName(agent.name, null) : "",
    promised_response_time: phrase ? phrase(promise.hours, promise.business) : `${promise.hours}`,
  };
}

/**
 * Fills `{{name}}` placeholders. In `html` mode every value is HTML-escaped, so a customer
 * named `<img onerror=…>` is text, never markup; unknown placeholders stay as written.
 */
export function fillPlaceholders(template: string, values: PlaceholderValues, mode: "text" | "html"): string {
  return template.replace(/\{\{\s*([a-z_]+(?:\.[a-z_]+)?)\s*\}\}/g, (whole, key: string) => {
    const v = values[key as keyof PlaceholderValues];
    if (v === undefined) return mode === "html" ? escapeHtml(whole) : whole;
    return mode === "html" ? escapeHtml(v) : v;
  });
}

/** A plain-text template rendered to HTML: text and values escaped alike, line breaks kept. */
export const renderHtml = (template: string, values: PlaceholderValues) =>
  textToHtml(fillPlaceholders(template, values, "text"));
