import { foldText, tokenize } from "@rapport/shared";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { type Staff, ticketScope } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { containsPattern, tsqueryLiteral } from "../../lib/search.ts";
import { hydrateContacts } from "../contacts/contacts.service.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { asStaff, listTickets } from "../tickets/tickets.service.ts";
import { messages, tickets } from "../tickets/tickets.table.ts";
import type { SEARCH_TYPES, TSearchQuery, TSearchResult } from "./search.schema.ts";

type SearchType = (typeof SEARCH_TYPES)[number];

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

/**
 * How well a query matches one field, both folded (Vietnamese without diacritics, Khmer
 * segmented): 1 the whole field, 0.85 a word of it from its start (a first or last name),
 * 0.7 a word's beginning, 0.5 anywhere inside (a Khmer name in unspaced text), 0.3 only word
 * by word (the full-text index found every word, apart).
 */
export function matchScore(query: string, field: string | null | undefined): number {
  const q = foldText(query).trim();
  const f = foldText(field ?? "").trim();
  if (!q || !f) return 0;
  if (f === q) return 1;
  const words = tokenize(field ?? "");
  const qWords = tokenize(query);
  const phrase = qWords.join(" ");
  for (let i = 0; i < words.length; i++) {
    const run = words.slice(i, i + qWords.length).join(" ");
    if (run === phrase) return 0.85;
    if (run.startsWith(phrase)) return 0.7;
  }
  if (f.includes(q)) return 0.5;
  return qWords.length > 0 && qWords.every((w) => words.some((x) => x.startsWith(w))) ? 0.3 : 0;
}

/** The groups by relevance: each scored by its best hit; ties keep tickets, contacts, messages. */
function rankGroups(types: TSearchQuery["types"], scores: Record<SearchType, number>): SearchType[] {
  const order: SearchType[] = ["tickets", "contacts", "messages"];
  return order.filter((g) => types.includes(g)).sort((a, b) => scores[b] - scores[a]);
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
  const result: TSearchResult = { groups: [], tickets: [], messages: [], contacts: [] };
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
  // An empty group scores 0, a group with hits at least a little more.
  const best = (xs: number[]) => (xs.length ? Math.max(0.01, ...xs) : 0);
  const number = /^#?(\d+)$/.exec(q.q.trim())?.[1];
  result.groups = rankGroups(q.types, {
    // A ticket found through its requester ranks a little below that contact itself.
    tickets: best(
      result.tickets.map((tk) =>
        String(tk.number) === number
          ? 1
          : Math.max(
              matchScore(q.q, tk.subject),
              0.9 * Math.max(matchScore(q.q, tk.requester.name), matchScore(q.q, tk.requester.email)),
            ),
      ),
    ),
    contacts: best(
      result.contacts.map((c) =>
        Math.max(matchScore(q.q, c.name), ...c.emails.map((e) => matchScore(q.q, e.email))),
      ),
    ),
    // Words in a message body are weaker evidence than a subject or a name.
    messages: best(result.messages.map((m) => 0.6 * matchScore(q.q, m.snippet))),
  });
  return result;
}
