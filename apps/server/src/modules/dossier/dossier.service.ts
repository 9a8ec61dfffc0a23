import { foldText } from "@rapport/shared";
import { and, desc, eq, inArray, isNotNull, type SQL, sql } from "drizzle-orm";
import { actorRef } from "../../auth/actor.ts";
import type { Staff } from "../../auth/policies.ts";
import { plannedScope, ticketScope } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { containsPattern, tsqueryLiteral, tsvectorLiteral } from "../../lib/search.ts";
import { getContact } from "../contacts/contacts.service.ts";
import { contacts, organizations } from "../contacts/contacts.table.ts";
import { todayIn } from "../planner/planner.rules.ts";
import { getCadence, nextPlannedFor, toPlanned, userTimeZone } from "../planner/planner.service.ts";
import { plannedContacts } from "../planner/planner.table.ts";
import { asStaff, listTickets } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";
import type { TTimelineItem, TTimelineQuery } from "./dossier.schema.ts";
import { TIMELINE_KINDS } from "./dossier.schema.ts";
import { contactNotes } from "./dossier.table.ts";

const OPEN_STATUSES = ["new", "open", "pending", "on_hold"] as const;

type Row = {
  kind: TTimelineItem["kind"];
  id: string;
  at: string | Date;
  channel: string | null;
  ticket_id: string | null;
  ticket_number: string | number | null;
  ticket_subject: string | null;
  type: string;
  internal: boolean;
  text: string;
  data: Record<string, unknown> | null;
  actor_id: string | null;
};

/** What a timeline source gets to build its part of the union. */
export interface TimelineSourceArgs {
  actor: Staff;
  contactId: string;
  /** The keyset condition for (at, kind, id) columns: `keyset(sql\`x.created_at\`, "call", sql\`x.id::text\`)`. */
  keyset: (at: SQL, kind: string, id: SQL) => SQL;
  /** LIMIT for each part (page size + 1). */
  limit: number;
  /** The search text as a folded LIKE pattern, or null. */
  like: string | null;
  /** The channel filter, or undefined. */
  channel: string | undefined;
}

/**
 * Timeline parts other modules add (calls, call-backs, promises). `build` returns a
 * parenthesised SELECT with the columns of `Row` (kind, id, at, channel, ticket_id,
 * ticket_number, ticket_subject, type, internal, text, data, actor_id), newest first and
 * limited, or null to contribute nothing for these filters.
 */
export interface TimelineSource {
  kind: TTimelineItem["kind"];
  build: (args: TimelineSourceArgs) => SQL | null;
}
export const timelineSources: TimelineSource[] = [];
export function addTimelineSource(source: TimelineSource) {
  if (!timelineSources.some((s) => s.kind === source.kind)) timelineSources.push(source);
}

const rowsOf = (r: unknown) => (r as { rows: Row[] }).rows;
const likePattern = (q: string) => containsPattern(foldText(q).trim());

async function assertContact(db: DbOrTx, id: string) {
  const [c] = await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, id));
  if (!c) throw notFound("Contact");
}

/**
 * One timeline across every source, newest first: messages of the contact's tickets
 * (by channel), ticket events (not "reply/note added": the message itself is the entry, so
 * each reply appears once), planned contacts (planned, done with their outcome),
 * notes on the contact and contact events (merges). Each source is read in index order
 * with its own LIMIT and the keyset condition, then merged: the cost follows the page
 * size and the contact's ticket count, not the total history.
 * The keyset is (at, kind, id), descending.
 */
export async function timeline(ctx: Ctx, contactId: string, q: TTimelineQuery) {
  const actor = asStaff(ctx.actor);
  await assertContact(ctx.db, contactId);
  const kinds = new Set(q.types ?? TIMELINE_KINDS);
  const limit = q.limit + 1;
  let keyset: (at: SQL, kind: string, id: SQL) => SQL = () => sql`true`;
  if (q.cursor) {
    const [at, kind, id] = decodeCursor(q.cursor, 3);
    if (
      typeof at !== "string" ||
      typeof kind !== "string" ||
      typeof id !== "string" ||
      Number.isNaN(Date.parse(at))
    )
      throw badRequest("Invalid cursor");
    keyset = (atCol, k, idCol) =>
      sql`(${atCol}, ${k}::text, ${idCol}) < (${at}::timestamptz, ${kind}::text, ${id}::text)`;
  }
  const tsq = q.q ? tsqueryLiteral(q.q) : null;
  if (q.q && !tsq && foldText(q.q).trim() === "") return { items: [], nextCursor: null };
  const like = q.q ? likePattern(q.q) : null;
  const scope = ticketScope(actor) ?? sql`true`;
  const parts: SQL[] = [];

  // The contact's visible tickets, then each ticket's newest rows through its own index (a LATERAL
  // per ticket): the planner can no longer walk the global newest-first message index and filter.
  const ownTickets = sql`(select tickets.id, tickets.number, tickets.subject, tickets.channel from tickets
      where tickets.requester_id = ${contactId} and ${scope}) tk`;
  if (kinds.has("message")) {
    const search = q.q ? (tsq ? sql`m.search_vector @@ ${tsq}::tsquery` : sql`false`) : sql`true`;
    const channel = q.channel ? sql`m.channel::text = ${q.channel}` : sql`true`;
    parts.push(sql`(select 'message' as kind, m.id::text as id, m.created_at as at, m.channel::text as channel,
        tk.id as ticket_id, tk.number as ticket_number, tk.subject as ticket_subject,
        m.author_type as type, m.internal, left(m.body_text, 500) as text, null::jsonb as data,
        coalesce(m.author_user_id, m.author_contact_id) as actor_id
      from ${ownTickets} cross join lateral (
        select * from messages m where m.ticket_id = tk.id and ${search} and ${channel}
          and ${keyset(sql`m.created_at`, "message", sql`m.id::text`)}
        order by m.created_at desc, m.id::text desc limit ${limit}) m
      order by m.created_at desc, m.id::text desc limit ${limit})`);
  }
  if (kinds.has("ticket_event") && !q.q && !q.channel) {
    parts.push(sql`(select 'ticket_event' as kind, e.id::text as id, e.created_at as at, tk.channel::text as channel,
        tk.id as ticket_id, tk.number as ticket_number, tk.subject as ticket_subject,
        e.type as type, false as internal, '' as text, e.data as data, e.actor_id as actor_id
      from ${ownTickets} cross join lateral (
        select * from ticket_events e where e.ticket_id = tk.id
          and e.type not in ('reply.added', 'note.added')
          and ${keyset(sql`e.created_at`, "ticket_event", sql`e.id::text`)}
        order by e.created_at desc, e.id::text desc limit ${limit}) e
      order by e.created_at desc, e.id::text desc limit ${limit})`);
  }
  if (kinds.has("planned_contact")) {
    const pscope = plannedScope(actor) ?? sql`true`;
    const at = sql`coalesce(planned_contacts.completed_at, planned_contacts.created_at)`;
    const search = like
      ? sql`lower(unaccent(planned_contacts.purpose || ' ' || planned_contacts.notes || ' ' || coalesce(planned_contacts.outcome, ''))) like ${like}`
      : sql`true`;
    const channel = q.channel ? sql`planned_contacts.channel = ${q.channel}` : sql`true`;
    parts.push(sql`(select 'planned_contact' as kind, planned_contacts.id::text as id, ${at} as at,
        planned_contacts.channel as channel, null::uuid as ticket_id, null::bigint as ticket_number, null::text as ticket_subject,
        planned_contacts.status as type, false as internal,
        coalesce(planned_contacts.outcome, planned_contacts.purpose) as text,
        jsonb_build_object('date', planned_contacts.date, 'time', planned_contacts.time, 'purpose', planned_contacts.purpose,
          'notes', planned_contacts.notes, 'ownerId', planned_contacts.owner_id) as data,
        coalesce(planned_contacts.completed_by_id, planned_contacts.owner_id) as actor_id
      from planned_contacts
      where planned_contacts.contact_id = ${contactId} and ${pscope} and ${search} and ${channel}
        and ${keyset(at, "planned_contact", sql`planned_contacts.id::text`)}
      order by ${at} desc, planned_contacts.id::text desc limit ${limit})`);
  }
  if (kinds.has("note") && !q.channel) {
    const search = q.q ? (tsq ? sql`n.search_vector @@ ${tsq}::tsquery` : sql`false`) : sql`true`;
    parts.push(sql`(select 'note' as kind, n.id::text as id, n.created_at as at, null::text as channel,
        null::uuid as ticket_id, null::bigint as ticket_number, null::text as ticket_subject,
        'note' as type, true as internal, n.body as text, null::jsonb as data, n.author_id as actor_id
      from contact_notes n
      where n.contact_id = ${contactId} and ${search}
        and ${keyset(sql`n.created_at`, "note", sql`n.id::text`)}
      order by n.created_at desc, n.id desc limit ${limit})`);
  }
  if (kinds.has("event") && !q.channel) {
    const search = like ? sql`lower(unaccent(ev.search_text)) like ${like}` : sql`true`;
    parts.push(sql`(select 'event' as kind, ev.id::text as id, ev.created_at as at, null::text as channel,
        null::uuid as ticket_id, null::bigint as ticket_number, null::text as ticket_subject,
        ev.type as type, false as internal, ev.search_text as text, ev.data as data, ev.actor_id as actor_id
      from contact_events ev
      where ev.contact_id = ${contactId} and ${search}
        and ${keyset(sql`ev.created_at`, "event", sql`ev.id::text`)}
      order by ev.created_at desc, ev.id desc limit ${limit})`);
  }
  for (const source of timelineSources) {
    if (!kinds.has(source.kind)) continue;
    const part = source.build({ actor, contactId, keyset, limit, like, channel: q.channel });
    if (part) parts.push(part);
  }
  if (parts.length === 0) return { items: [], nextCursor: null };
  const result = await ctx.db.execute(
    sql`select * from (${sql.join(parts, sql` union all `)}) t order by at desc, kind desc, id desc limit ${limit}`,
  );
  const rows = rowsOf(result);
  const page = rows.slice(0, q.limit);
  const items: TTimelineItem[] = page.map((r) => ({
    key: `${r.kind}:${r.id}`,
    kind: r.kind,
    id: r.id,
    at: new Date(r.at).toISOString(),
    channel: r.channel,
    ticket: r.ticket_id
      ? { id: r.ticket_id, number: Number(r.ticket_number), subject: r.ticket_subject ?? "" }
      : null,
    type: r.type,
    internal: Boolean(r.internal),
    text: r.text ?? "",
    data: r.data ?? {},
    actorId: r.actor_id,
  }));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.at, last.kind, last.id]) : null,
  };
}

/** Everything about a customer before the next call, in one request. */
export async function dossier(ctx: Ctx, contactId: string, q: TTimelineQuery) {
  const actor = asStaff(ctx.actor);
  const contact = await getContact(ctx, contactId);
  const scope = ticketScope(actor);
  const pscope = plannedScope(actor);
  // Independent reads, run at once (several pool connections on PostgreSQL).
  const [orgRows, counts, lastRows, next, open, cadence, page] = await Promise.all([
    contact.organization
      ? ctx.db
          .select({ org: organizations, ownerName: users.name })
          .from(organizations)
          .leftJoin(users, eq(users.id, organizations.accountOwnerId))
          .where(eq(organizations.id, contact.organization.id))
      : Promise.resolve([]),
    ctx.db
      .select({
        status: tickets.status,
        n: sql<number>`count(*)::int`,
        first: sql<string | null>`min(${tickets.createdAt})`,
        last: sql<string | null>`max(coalesce(${tickets.lastMessageAt}, ${tickets.createdAt}))`,
      })
      .from(tickets)
      .where(and(eq(tickets.requesterId, contactId), scope))
      .groupBy(tickets.status),
    ctx.db
      .select({ row: plannedContacts, contactName: contacts.name })
      .from(plannedContacts)
      .innerJoin(contacts, eq(contacts.id, plannedContacts.contactId))
      .where(
        and(
          eq(plannedContacts.contactId, contactId),
          inArray(plannedContacts.status, ["done", "missed"]),
          isNotNull(plannedContacts.completedAt),
          pscope,
        ),
      )
      .orderBy(desc(plannedContacts.completedAt))
      .limit(1),
    nextPlannedFor(ctx.db, contactId, pscope),
    listTickets(ctx, {
      requester: contactId,
      status: [...OPEN_STATUSES],
      sort: "updated",
      order: "desc",
      limit: 50,
    }),
    getCadence(ctx, contactId),
    timeline(ctx, contactId, q),
  ]);
  const orgRow = orgRows[0];
  const lastDone = lastRows[0];
  const accountOwner =
    orgRow?.org.accountOwnerId && orgRow.ownerName
      ? { id: orgRow.org.accountOwnerId, name: orgRow.ownerName }
      : null;
  const byStatus: Record<string, number> = {};
  let first: number | null = null;
  let last: number | null = null;
  for (const c of counts) {
    byStatus[c.status] = Number(c.n);
    if (c.first) first = Math.min(first ?? Number.POSITIVE_INFINITY, Date.parse(c.first));
    if (c.last) last = Math.max(last ?? 0, Date.parse(c.last));
  }
  if (lastDone?.row.completedAt && lastDone.row.status === "done")
    last = Math.max(last ?? 0, lastDone.row.completedAt.getTime());
  const viewer = actor.kind === "agent" ? actor.userId : null;
  const tzOf = async (ownerId: string) => todayIn(await userTimeZone(ctx.db, ownerId), ctx.now());
  return {
    contact,
    organization: orgRow
      ? {
          id: orgRow.org.id,
          name: orgRow.org.name,
          domains: orgRow.org.domains,
          tags: orgRow.org.tags,
          accountOwner,
        }
      : null,
    accountOwner,
    tags: contact.tags,
    figures: {
      tickets: { total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus },
      firstContactAt: first === null ? null : new Date(first).toISOString(),
      lastContactAt: last === null ? null : new Date(last).toISOString(),
    },
    openTickets: open.items,
    lastContact: lastDone ? toPlanned(lastDone, viewer, await tzOf(lastDone.row.ownerId)) : null,
    nextContact: next
      ? toPlanned({ row: next, contactName: contact.name }, viewer, await tzOf(next.ownerId))
      : null,
    cadence,
    timeline: page,
  };
}

/** "Write a note" on the customer: it appears on the dossier's timeline. */
export async function addNote(ctx: Ctx, contactId: string, body: string) {
  const actor = asStaff(ctx.actor);
  await assertContact(ctx.db, contactId);
  const [row] = await ctx.db
    .insert(contactNotes)
    .values({
      contactId,
      authorId: actorRef(actor).actorId,
      body,
      searchVector: tsvectorLiteral([{ text: body, weight: "A" }]),
      createdAt: ctx.now(),
    })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return {
    id: row.id,
    contactId,
    authorId: row.authorId,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
  };
}
