import { and, asc, eq, gte, or } from "drizzle-orm";
import { randomToken, sha256 } from "../../auth/crypto.ts";
import { requireAgent } from "../../auth/policies.ts";
import type { Ctx, Services } from "../../context.ts";
import { notFound } from "../../lib/errors.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { addDays, instantOf, todayIn } from "./planner.rules.ts";
import { userTimeZone } from "./planner.service.ts";
import { plannedContacts, plannerSettings } from "./planner.table.ts";

/**
 * RFC 5545 text: TEXT values escape backslash, semicolon, comma and newlines
 * (section 3.3.11); control characters other than tab are dropped.
 */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\n/g, "\\n");
}

/**
 * Folds a content line at 75 octets (section 3.1): continuation lines start with one
 * space, and a UTF-8 sequence is never split.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, "utf8");
    const limit = out.length === 0 ? 75 : 74;
    if (bytes + size > limit) {
      out.push(current);
      current = "";
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join("\r\n ");
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
const dateValue = (date: string) => date.replace(/-/g, "");

export type FeedItem = {
  id: string;
  contactName: string;
  date: string;
  time: string | null;
  timeZone: string | null;
  channel: string;
  purpose: string;
  notes: string;
  updatedAt: Date;
};

export function renderCalendar(items: FeedItem[], now: Date, host = "rapport"): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Rapport//Planner//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "X-WR-CALNAME:Rapport planner",
  ];
  for (const it of items) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${it.id}@${host}`,
      `DTSTAMP:${stamp(now)}`,
      `LAST-MODIFIED:${stamp(it.updatedAt)}`,
    );
    if (it.time) {
      lines.push(`DTSTART:${stamp(instantOf(it.date, it.time, it.timeZone ?? "UTC"))}`, "DURATION:PT30M");
    } else {
      lines.push(
        `DTSTART;VALUE=DATE:${dateValue(it.date)}`,
        `DTEND;VALUE=DATE:${dateValue(addDays(it.date, 1))}`,
      );
    }
    const summary = `${it.contactName || "Contact"} (${it.channel})${it.purpose ? `: ${it.purpose}` : ""}`;
    lines.push(`SUMMARY:${escapeText(summary)}`);
    if (it.notes) lines.push(`DESCRIPTION:${escapeText(it.notes)}`);
    lines.push("TRANSP:TRANSPARENT", "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}

/** Creates (or replaces) the actor's feed token; the token is shown once and stored hashed. */
export async function rotateFeedToken(ctx: Ctx) {
  const agent = requireAgent(ctx.actor);
  const token = randomToken(32);
  const values = { userId: agent.userId, icalTokenHash: sha256(token), updatedAt: ctx.now() };
  await ctx.db
    .insert(plannerSettings)
    .values(values)
    .onConflictDoUpdate({
      target: plannerSettings.userId,
      set: { icalTokenHash: values.icalTokenHash, updatedAt: values.updatedAt },
    });
  return { token, path: `/api/v1/planner/ical/${token}.ics` };
}

export async function revokeFeedToken(ctx: Ctx) {
  const agent = requireAgent(ctx.actor);
  await ctx.db
    .update(plannerSettings)
    .set({ icalTokenHash: null, updatedAt: ctx.now() })
    .where(eq(plannerSettings.userId, agent.userId));
}

/** The feed behind a secret token: the agent's planned contacts from 30 days back, owned or covered. */
export async function feedFor(services: Services, token: string): Promise<string> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound("Calendar");
  const [s] = await services.db
    .select({ userId: plannerSettings.userId })
    .from(plannerSettings)
    .where(eq(plannerSettings.icalTokenHash, sha256(token)));
  if (!s) throw notFound("Calendar");
  const tz = await userTimeZone(services.db, s.userId);
  const since = addDays(todayIn(tz, services.now()), -30);
  const rows = await services.db
    .select({ p: plannedContacts, name: contacts.name })
    .from(plannedContacts)
    .innerJoin(contacts, eq(contacts.id, plannedContacts.contactId))
    .where(
      and(
        or(eq(plannedContacts.ownerId, s.userId), eq(plannedContacts.coverId, s.userId)),
        eq(plannedContacts.status, "planned"),
        gte(plannedContacts.date, since),
      ),
    )
    .orderBy(asc(plannedContacts.date))
    .limit(5000);
  return renderCalendar(
    rows.map((r) => ({ ...r.p, contactName: r.name })),
    services.now(),
  );
}
