import { foldText, type TicketStatus } from "@rapport/shared";
import { and, asc, desc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Actor, type AgentActor, actorRef } from "../../auth/actor.ts";
import {
  requireAgent,
  requireCan,
  type Staff,
  seesAllTickets,
  ticketPermissions,
  ticketScope,
} from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { containsPattern, tsqueryLiteral, tsvectorLiteral } from "../../lib/search.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { customFieldFilters, validateCustomFields } from "../fields/fields.service.ts";
import { teams } from "../teams/teams.table.ts";
import { users } from "../users/users.table.ts";
import { tierBadgeOf } from "../value/value.facts.ts";
import { ticketReads } from "../views/views.table.ts";
import { createTickets, runUpdateSteps, type TicketChanges, type UpdatedTicket } from "./pipeline.ts";
import { changeTicket, eventName, type TicketPatch } from "./ticket-changes.ts";
import type { TCreateTicket, TTicket, TTicketQuery, TUpdateTicket } from "./tickets.schema.ts";
import { ticketEvents, tickets } from "./tickets.table.ts";
import { type Uow, withTransaction } from "./unit-of-work.ts";

export type TicketRow = typeof tickets.$inferSelect;

const primaryEmail = sql<
  string | null
>`(select ce.email from contact_emails ce where ce.contact_id = ${tickets.requesterId} order by ce.is_primary desc, ce.created_at limit 1)`;
const assignee = alias(users, "assignee");
/** The requester's loyalty tier for the badge in inbox rows and the ticket header (customer value). */
const requesterTier = tierBadgeOf(sql`${tickets.requesterId}`);

/** A ticket is unread for an agent when a customer wrote since the agent last opened it. */
const unreadSql = sql<boolean>`(${tickets.lastCustomerMessageAt} is not null and (${ticketReads.readAt} is null or ${ticketReads.readAt} < ${tickets.lastCustomerMessageAt}))`;

/** One query: the ticket with its requester, assignee and team names, and whether the viewer read it. */
function selectTickets(db: DbOrTx, viewer: Staff) {
  const readerId = viewer.kind === "agent" ? viewer.userId : null;
  return selectTicketsRead(db, readerId ? eq(ticketReads.userId, readerId) : sql`false`);
}

/** `selectTickets` with the viewer's read row chosen by `reader` (a condition on ticket_reads.user_id). */
function selectTicketsRead(db: DbOrTx, reader: SQL) {
  return db
    .select({
      ticket: tickets,
      requesterName: contacts.name,
      requesterEmail: primaryEmail,
      requesterTier,
      assigneeName: assignee.name,
      teamName: teams.name,
      unread: unreadSql,
    })
    .from(tickets)
    .innerJoin(contacts, eq(contacts.id, tickets.requesterId))
    .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .leftJoin(ticketReads, and(eq(ticketReads.ticketId, tickets.id), reader));
}

/**
 * One ticket as `selectTickets` reads it, built once per database handle and sent as a named
 * statement: every ticket write answers with it (bench/RESULTS.md, issue 13). `all` for those who
 * see every ticket; `scoped` is `ticketScope` with the agent and their teams as parameters.
 */
function prepareTicketFetch(db: DbOrTx) {
  const reader = sql`${ticketReads.userId} = ${sql.placeholder("reader")}::uuid`;
  const user = sql.placeholder("user");
  const teamIds = sql.placeholder("teams");
  return {
    all: selectTicketsRead(db, reader)
      .where(eq(tickets.id, sql.placeholder("id")))
      .prepare("ticket_fetch_all"),
    scoped: selectTicketsRead(db, reader)
      .where(
        and(
          eq(tickets.id, sql.placeholder("id")),
          or(
            sql`${tickets.assigneeId} = ${user}::uuid`,
            isNull(tickets.teamId),
            sql`${tickets.teamId} = any(${teamIds}::uuid[])`,
          ),
        ),
      )
      .prepare("ticket_fetch_scoped"),
  };
}
const ticketFetches = new WeakMap<DbOrTx, ReturnType<typeof prepareTicketFetch>>();

/** Whether a ticket is unread, for each of these agents (the realtime fan-out: one query for all). */
export async function unreadByUser(db: DbOrTx, ticketId: string, userIds: string[]) {
  const result = new Map<string, boolean>();
  if (userIds.length === 0) return result;
  const rows = await db
    .select({ userId: users.id, unread: unreadSql })
    .from(users)
    .innerJoin(tickets, eq(tickets.id, ticketId))
    .leftJoin(ticketReads, and(eq(ticketReads.ticketId, tickets.id), eq(ticketReads.userId, users.id)))
    .where(inArray(users.id, userIds));
  for (const r of rows) result.set(r.userId, r.unread);
  return result;
}
type SelectedTicket = Awaited<ReturnType<ReturnType<typeof selectTickets>["execute"]>>[number];

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toTicket(r: SelectedTicket, actor: Staff): TTicket {
  const t = r.ticket;
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    channel: t.channel,
    requester: {
      id: t.requesterId,
      name: r.requesterName,
      email: r.requesterEmail,
      tier: r.requesterTier ?? null,
    },
    assignee: t.assigneeId ? { id: t.assigneeId, name: r.assigneeName ?? "" } : null,
    team: t.teamId ? { id: t.teamId, name: r.teamName ?? "" } : null,
    tags: t.tags,
    language: t.language,
    sentiment: t.sentiment,
    worstSentiment: t.worstSentiment,
    messageCount: t.messageCount,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    firstResponseAt: iso(t.firstResponseAt),
    lastMessageAt: iso(t.lastMessageAt),
    solvedAt: iso(t.solvedAt),
    closedAt: iso(t.closedAt),
    nextDueAt: iso(t.nextDueAt),
    unread: r.unread,
    permissions: ticketPermissions(actor, t),
    customFields: t.customFields,
  };
}

export function asStaff(actor: Actor): Staff {
  if (actor.kind === "system") return actor;
  return requireAgent(actor);
}

/** The ticket if the actor may see it; otherwise 404 (never 403: existence does not leak). */
export async function loadVisibleTicket(db: DbOrTx, actor: Staff, id: string, opts: { lock?: boolean } = {}) {
  const q = db.select().from(tickets).where(eq(tickets.id, id));
  const [row] = opts.lock ? await q.for("update") : await q;
  if (!row) throw notFound("Ticket");
  requireCan(actor, "ticket.read", row);
  return row;
}

export async function fetchTicket(db: DbOrTx, actor: Staff, id: string): Promise<TTicket> {
  let fetch = ticketFetches.get(db);
  if (!fetch) {
    fetch = prepareTicketFetch(db);
    ticketFetches.set(db, fetch);
  }
  const reader = actor.kind === "agent" ? actor.userId : null;
  const [row] = seesAllTickets(actor)
    ? await fetch.all.execute({ id, reader })
    : await fetch.scoped.execute({
        id,
        reader,
        user: (actor as AgentActor).userId,
        teams: `{${(actor as AgentActor).teamIds.join(",")}}`,
      });
  if (!row) throw notFound("Ticket");
  return toTicket(row, actor);
}

export const ticketSearchVector = (subject: string, tags: string[]) =>
  tsvectorLiteral([
    { text: subject, weight: "A" },
    { text: tags.join(" "), weight: "B" },
  ]);

/**
 * Writes one timeline event. `at` is the services' clock (ctx.now()), so events share the
 * time of the change they record; without it the database's clock is used.
 */
export async function writeEvent(
  db: DbOrTx,
  ticketId: string,
  actor: Actor,
  type: string,
  data: Record<string, unknown> = {},
  at?: Date,
) {
  await writeEvents(db, actor, [{ ticketId, type, data, at }]);
}

/** Several timeline events by one actor, in one statement (batch ingestion). */
export async function writeEvents(
  db: DbOrTx,
  actor: Actor,
  events: Array<{ ticketId: string; type: string; data?: Record<string, unknown>; at?: Date }>,
) {
  if (events.length === 0) return;
  await db.insert(ticketEvents).values(
    events.map((e) => ({
      ticketId: e.ticketId,
      type: e.type,
      data: e.data ?? {},
      ...actorRef(actor),
      ...(e.at ? { createdAt: e.at } : {}),
    })),
  );
}

async function assertAssignable(db: DbOrTx, userId: string | null | undefined) {
  if (!userId) return;
  const [u] = await db.select({ active: users.active }).from(users).where(eq(users.id, userId));
  if (!u) throw notFound("Assignee");
  if (!u.active) throw badRequest("The assignee is deactivated", { field: "assigneeId" });
}

async function assertTeam(db: DbOrTx, teamId: string | null | undefined) {
  if (!teamId) return;
  const [t] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!t) throw notFound("Team");
}

/** Timestamps that follow from a status change. */
export function statusStamps(status: TicketStatus, now: Date, prev?: TicketRow) {
  return {
    solvedAt: status === "solved" || status === "closed" ? (prev?.solvedAt ?? now) : null,
    closedAt: status === "closed" ? (prev?.closedAt ?? now) : null,
  };
}

/** The row of a new ticket, as the pipeline's createTickets inserts it. */
export function newTicketValues(
  input: TCreateTicket,
  requester: { id: string; language: string | null },
  now: Date,
) {
  const status = input.status ?? (input.assigneeId ? "open" : "new");
  return {
    subject: input.subject,
    status,
    priority: input.priority,
    channel: input.channel,
    requesterId: requester.id,
    assigneeId: input.assigneeId ?? null,
    teamId: input.teamId ?? null,
    tags: input.tags,
    language: input.language ?? requester.language ?? null,
    subjectFolded: foldText(input.subject),
    searchVector: ticketSearchVector(input.subject, input.tags),
    customFields: input.customFields ?? {},
    createdAt: now,
    updatedAt: now,
    ...statusStamps(status, now),
  };
}

/**
 * The API's ticket creation: the caller's permissions, then the pipeline's createTickets in
 * one unit of work, then the ticket as the caller sees it.
 */
export async function createTicket(ctx: Ctx, input: TCreateTicket): Promise<TTicket> {
  const actor = asStaff(ctx.actor);
  const id = await withTransaction(ctx, async (uow) => {
    await checkNewTicket(uow, input, { teamExists: false });
    const [created] = await createTickets(uow, [{ input, message: input.message }]);
    if (!created) throw new Error("insert returned nothing");
    return created.ticket.id;
  }).catch((e: unknown) => {
    // The team is checked by its foreign key (one statement less on every creation).
    if (foreignKeyViolation(e, "team_id")) throw notFound("Team");
    throw e;
  });
  return fetchTicket(ctx.db, actor, id);
}

/**
 * What an agent may not do when filing a ticket: another team's, an unknown or inactive
 * assignee, an unknown team (unless the caller maps the team's foreign key error itself).
 */
export async function checkNewTicket(
  uow: Uow,
  input: Pick<TCreateTicket, "teamId" | "assigneeId">,
  opts: { teamExists?: false } = {},
) {
  const actor = asStaff(uow.ctx.actor);
  if (input.teamId) requireCan(actor, "team.use", { teamId: input.teamId });
  await assertAssignable(uow.tx, input.assigneeId);
  if (opts.teamExists !== false) await assertTeam(uow.tx, input.teamId);
}

/** Whether `e` (or what it wraps) is PostgreSQL's foreign key violation on `column`. */
function foreignKeyViolation(e: unknown, column: string): boolean {
  for (
    let x = e as { code?: string; constraint?: string; detail?: string; cause?: unknown } | undefined;
    x;
  ) {
    if (x.code === "23503") return `${x.constraint ?? ""} ${x.detail ?? ""}`.includes(column);
    x = x.cause as typeof x;
  }
  return false;
}

export async function getTicket(ctx: Ctx, id: string): Promise<TTicket> {
  return fetchTicket(ctx.db, asStaff(ctx.actor), id);
}

export async function updateTicket(
  ctx: Ctx,
  id: string,
  patch: TUpdateTicket,
  opts: { reason?: string } = {},
): Promise<TTicket> {
  const actor = asStaff(ctx.actor);
  if (patch.tags && (patch.addTags || patch.removeTags)) {
    throw badRequest("Send either tags, or addTags/removeTags", { field: "tags" });
  }
  await withTransaction(ctx, (uow) => updateTicketRow(uow, id, patch, opts));
  return fetchTicket(ctx.db, actor, id);
}

/**
 * Applies an agent's (or the system's) ticket patch inside a unit of work: permissions, the
 * row, its timeline events, then the pipeline's update steps. `target` is the ticket's id, or
 * its row when the caller holds it locked already ("send and solve"). Returns the update
 * (`changes` empty when nothing changed).
 */
export async function updateTicketRow(
  uow: Uow,
  target: string | TicketRow,
  patch: TUpdateTicket,
  opts: { reason?: string } = {},
): Promise<UpdatedTicket> {
  const { tx, ctx } = uow;
  const actor = asStaff(ctx.actor);
  const now = ctx.now();
  const prev =
    typeof target === "string" ? await loadVisibleTicket(tx, actor, target, { lock: true }) : target;
  const id = prev.id;
  const set: Partial<TicketRow> = {};
  const changes: TicketChanges = {};
  const change = <K extends keyof TicketRow>(key: K, to: TicketRow[K]) => {
    if (JSON.stringify(prev[key]) === JSON.stringify(to)) return;
    set[key] = to;
    changes[key] = { from: prev[key], to };
  };
  if (patch.subject !== undefined) change("subject", patch.subject);
  if (patch.status !== undefined) change("status", patch.status);
  if (patch.priority !== undefined) change("priority", patch.priority);
  if (patch.language !== undefined) change("language", patch.language);
  if (patch.assigneeId !== undefined) change("assigneeId", patch.assigneeId);
  if (patch.teamId !== undefined) change("teamId", patch.teamId);
  let tags = patch.tags ?? prev.tags;
  if (patch.addTags) tags = [...new Set([...tags, ...patch.addTags])];
  if (patch.removeTags) tags = tags.filter((t) => !patch.removeTags?.includes(t));
  change("tags", tags);
  if (patch.customFields !== undefined)
    change(
      "customFields",
      await validateCustomFields(tx, ctx.actor, "ticket", patch.customFields, {
        mode: "update",
        existing: prev.customFields,
      }),
    );
  const item: UpdatedTicket = {
    prev,
    ticket: prev,
    changes,
    confirmations: patch.confirm ?? [],
    ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
  };
  if (Object.keys(changes).length === 0) return item;

  requireCan(actor, "ticket.update", prev);
  if ("teamId" in changes) requireCan(actor, "team.use", { teamId: set.teamId ?? null });
  if (set.assigneeId) await assertAssignable(tx, set.assigneeId);
  if (set.teamId) await assertTeam(tx, set.teamId);
  if (set.status) Object.assign(set, statusStamps(set.status, now, prev));
  if (set.subject !== undefined || set.tags !== undefined) {
    set.subjectFolded = foldText(set.subject ?? prev.subject);
    set.searchVector = ticketSearchVector(set.subject ?? prev.subject, set.tags ?? prev.tags);
  }
  // An agent taking a new ticket opens it.
  if (set.assigneeId && prev.status === "new" && set.status === undefined) {
    set.status = "open";
    changes.status = { from: prev.status, to: "open" };
  }
  set.updatedAt = now;
  const [current] = await tx.update(tickets).set(set).where(eq(tickets.id, id)).returning();
  if (!current) throw notFound("Ticket");
  item.ticket = current;
  for (const [key, { from, to }] of Object.entries(changes))
    uow.record(id, `${eventName(key)}.changed`, { from, to });
  await runUpdateSteps(uow, [item]);
  return item;
}

/**
 * Changes a ticket from outside any pipeline (time rules): the change, then every update
 * step. Returns what changed.
 */
export async function applyTicketChanges(
  uow: Uow,
  ticket: TicketRow,
  patch: TicketPatch,
  opts: { actor: Actor; via: Record<string, unknown> },
): Promise<UpdatedTicket> {
  const item: UpdatedTicket = { prev: ticket, ticket, changes: {}, confirmations: [] };
  await changeTicket(uow, item, patch, opts);
  await runUpdateSteps(uow, [item]);
  return item;
}

type SortKey = { cols: SQL[]; values: (t: TicketRow) => Array<string | number> };
const SORTS: Record<TTicketQuery["sort"], SortKey> = {
  updated: {
    cols: [sql`${tickets.updatedAt}`, sql`${tickets.id}`],
    values: (t) => [t.updatedAt.toISOString(), t.id],
  },
  created: {
    cols: [sql`${tickets.createdAt}`, sql`${tickets.id}`],
    values: (t) => [t.createdAt.toISOString(), t.id],
  },
  priority: {
    cols: [sql`${tickets.priority}`, sql`${tickets.updatedAt}`, sql`${tickets.id}`],
    values: (t) => [t.priority, t.updatedAt.toISOString(), t.id],
  },
  // The SLA's next due time; tickets without a running clock last (index tickets_next_due_idx).
  next_due: {
    cols: [sql`coalesce(${tickets.nextDueAt}, 'infinity'::timestamptz)`, sql`${tickets.id}`],
    values: (t) => [t.nextDueAt?.toISOString() ?? "infinity", t.id],
  },
};
const CURSOR_CASTS: Record<TTicketQuery["sort"], string[]> = {
  updated: ["timestamptz", "uuid"],
  created: ["timestamptz", "uuid"],
  priority: ["ticket_priority", "timestamptz", "uuid"],
  next_due: ["timestamptz", "uuid"],
};

/** The filters of a ticket list as SQL conditions (shared with counts and bulk actions). */
export function ticketFilters(actor: Staff, q: Partial<TTicketQuery>): SQL[] {
  const conds: Array<SQL | undefined> = [ticketScope(actor)];
  if (q.status) conds.push(inArray(tickets.status, q.status));
  if (q.priority) conds.push(inArray(tickets.priority, q.priority));
  if (q.channel) conds.push(inArray(tickets.channel, q.channel));
  if (q.assignee === "none") conds.push(isNull(tickets.assigneeId));
  else if (q.assignee === "me") {
    if (actor.kind !== "agent") throw badRequest("assignee=me needs a signed-in agent");
    conds.push(eq(tickets.assigneeId, actor.userId));
  } else if (q.assignee) conds.push(eq(tickets.assigneeId, q.assignee));
  if (q.team === "none") conds.push(isNull(tickets.teamId));
  else if (q.team) conds.push(eq(tickets.teamId, q.team));
  if (q.tag) conds.push(sql`${tickets.tags} @> array[${q.tag.toLowerCase()}]::text[]`);
  if (q.requester) conds.push(eq(tickets.requesterId, q.requester));
  if (q.cf) conds.push(...customFieldFilters("ticket", q.cf));
  if (q.q) {
    const tsq = tsqueryLiteral(q.q);
    const folded = foldText(q.q).trim();
    const like = containsPattern(folded);
    // A contact's name or address finds that contact's tickets too (at most 200 contacts: a
    // name fragment shared by thousands is a poor search, and the id list stays an index probe).
    const contactMatch = tsq
      ? sql`(${contacts.searchVector} @@ ${tsq}::tsquery or ${contacts.searchName} like ${like})`
      : sql`${contacts.searchName} like ${like}`;
    const byRequester = sql`${tickets.requesterId} = any(array(select ${contacts.id} from ${contacts} where ${contactMatch} limit 200))`;
    conds.push(
      tsq
        ? sql`(${tickets.searchVector} @@ ${tsq}::tsquery or ${tickets.subjectFolded} like ${like} or ${byRequester})`
        : sql`(${tickets.subjectFolded} like ${like} or ${byRequester})`,
    );
  }
  return conds.filter((c): c is SQL => c !== undefined);
}

/** A page of tickets; `extra`: conditions beyond the query's filters (a custom view's). */
export async function listTickets(
  ctx: Ctx,
  q: TTicketQuery,
  extra: SQL[] = [],
): Promise<{ items: TTicket[]; nextCursor: string | null }> {
  const actor = asStaff(ctx.actor);
  const sort = SORTS[q.sort];
  const dir = q.order === "desc" ? desc : asc;
  const conds = [...ticketFilters(actor, q), ...extra];
  if (q.cursor) {
    const casts = CURSOR_CASTS[q.sort];
    const values = decodeCursor(q.cursor, casts.length);
    const tuple = sql.join(
      values.map((v, i) => sql`${v}::${sql.raw(casts[i] ?? "text")}`),
      sql`, `,
    );
    const cols = sql.join(sort.cols, sql`, `);
    conds.push(q.order === "desc" ? sql`(${cols}) < (${tuple})` : sql`(${cols}) > (${tuple})`);
  }
  const rows = await selectTickets(ctx.db, actor)
    .where(and(...conds))
    .orderBy(...sort.cols.map((c) => dir(c)))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toTicket(r, actor)),
    nextCursor: rows.length > q.limit && last ? encodeCursor(sort.values(last.ticket)) : null,
  };
}
