import { foldText, tokenize } from "@rapport/shared";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { type Staff, ticketScope } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { containsPattern, tsqueryLiteral } from "../../lib/search.ts";
import { hydrateContacts } from "../contacts/contacts.service.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { asStaff, listTickets } from "../tickets/tickets.service.ts";
import { messages, tickets } from "../tickets/tickets.table.ts";
import type { TSearchQuery, TSearchResult } from "./search.schema.ts";

/** A short excerpt of `text` around the first query word it contains. */
export function snippet(text: string, query: string, width = 160): string {
  const words = tokenize(query);
  const folded = foldText(text);
  let at = -1;
  for (const w of words) {
    at = folded.indexOf(w);
    if (at >= 0) break;
  }
  // Folding keeps Latin lengths except for removed marks; re-locating in the original is approximate but safe.
  const start = Math.max(0, Math.min(at < 0 ? 0 : at - width / 4, text.length - width));
  const piece = text
    .slice(start, start + width)
    .replace(/\s+/g, " ")
    .trim();
  return `${start > 0 ? "…" : ""}${piece}${start + width < text.length ? "…" : ""}`;
}

/** More message hits than this and a word counts as common (see searchMessages). */
const RARE_HITS = 1000;

/**
 * The newest messages matching `tsq` that the actor may see. A rare word is found
 * through the GIN index and its few hits sorted; a common word would make that sort
 * huge, so it walks messages newest first (messages_created_idx) and stops at the
 * first page. A cheap probe (at most RARE_HITS + 1 ids) tells the two apart, since
 * PostgreSQL's estimate for a prefix query cannot (bench/notes.md).
 */
async function searchMessages(ctx: Ctx, actor: Staff, tsq: string, limit: number) {
  const match = sql`${messages.searchVector} @@ ${tsq}::tsquery`;
  const probe = await ctx.db
    .select({ id: messages.id })
    .from(messages)
    .where(match)
    .limit(RARE_HITS + 1);
  if (probe.length === 0) return [];
  const hits =
    probe.length <= RARE_HITS
      ? inArray(
          messages.id,
          probe.map((p) => p.id),
        )
      : match;
  return ctx.db
    .select({
      id: messages.id,
      ticketId: messages.ticketId,
      ticketNumber: tickets.number,
      ticketSubject: tickets.subject,
      internal: messages.internal,
      bodyText: messages.bodyText,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(and(hits, ticketScope(actor)))
    .orderBy(desc(messages.createdAt))
    .limit(limit);
}

/**
 * Global search over tickets (subject, tags), messages (bodies) and contacts
 * (name, emails, phones, notes), scoped to what the actor may see.
 */
export async function search(ctx: Ctx, q: TSearchQuery): Promise<TSearchResult> {
  const actor = asStaff(ctx.actor);
  const tsq = tsqueryLiteral(q.q);
  const folded = foldText(q.q).trim();
  const result: TSearchResult = { tickets: [], messages: [], contacts: [] };
  const tasks: Array<Promise<void>> = [];

  if (q.types.includes("tickets")) {
    tasks.push(
      listTickets(ctx, { q: q.q, sort: "updated", order: "desc", limit: q.limit }).then((r) => {
        result.tickets = r.items;
      }),
    );
  }
  if (q.types.includes("messages") && tsq) {
    tasks.push(
      searchMessages(ctx, actor, tsq, q.limit).then((rows) => {
        result.messages = rows.map((r) => ({
          id: r.id,
          ticketId: r.ticketId,
          ticketNumber: r.ticketNumber,
          ticketSubject: r.ticketSubject,
          internal: r.internal,
          snippet: snippet(r.bodyText, q.q),
          createdAt: r.createdAt.toISOString(),
        }));
      }),
    );
  }
  if (q.types.includes("contacts") && folded) {
    const match = tsq
      ? sql`(${contacts.searchVector} @@ ${tsq}::tsquery or ${contacts.searchName} like ${containsPattern(folded)})`
      : sql`${contacts.searchName} like ${containsPattern(folded)}`;
    tasks.push(
      ctx.db
        .select()
        .from(contacts)
        .where(match)
        .orderBy(desc(sql`similarity(${contacts.searchName}, ${folded})`), desc(contacts.createdAt))
        .limit(q.limit)
        .then(async (rows) => {
          result.contacts = await hydrateContacts(ctx.db, rows);
        }),
    );
  }
  await Promise.all(tasks);
  return result;
}
