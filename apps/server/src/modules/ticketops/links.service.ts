import { and, eq, or, sql } from "drizzle-orm";
import { canSeeTicket, requireAgent } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { badRequest, conflict } from "../../lib/errors.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { loadVisibleTicket } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { type Uow, withTransaction } from "../tickets/unit-of-work.ts";
import { lockVisible } from "./merge.service.ts";
import type { TLinkedTicket, TTicketLinks } from "./ticketops.schema.ts";
import { ticketLinks } from "./ticketops.table.ts";

/** How many related links one ticket may have (a link list is read whole). */
export const MAX_RELATED = 50;

const pair = (a: string, b: string) => (a < b ? { ticketId: a, otherId: b } : { ticketId: b, otherId: a });

/** The links of a ticket, each linked ticket as the caller may see it (others only counted). */
export async function listLinks(ctx: Ctx, ticketId: string): Promise<TTicketLinks> {
  const actor = requireAgent(ctx.actor);
  await loadVisibleTicket(ctx.db, actor, ticketId);
  const rows = await ctx.db
    .select({
      link: ticketLinks,
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      teamId: tickets.teamId,
      assigneeId: tickets.assigneeId,
      requesterName: contacts.name,
    })
    .from(ticketLinks)
    .innerJoin(
      tickets,
      sql`${tickets.id} = case when ${ticketLinks.ticketId} = ${ticketId} then ${ticketLinks.otherId} else ${ticketLinks.ticketId} end`,
    )
    .innerJoin(contacts, eq(contacts.id, tickets.requesterId))
    .where(or(eq(ticketLinks.ticketId, ticketId), eq(ticketLinks.otherId, ticketId)))
    .orderBy(ticketLinks.createdAt)
    .limit(MAX_RELATED * 2);
  const out: TTicketLinks = { mergedInto: null, mergedFrom: [], related: [], hidden: 0 };
  for (const r of rows) {
    if (!canSeeTicket(actor, r)) {
      out.hidden += 1;
      continue;
    }
    const linked: TLinkedTicket = {
      id: r.id,
      number: r.number,
      subject: r.subject,
      status: r.status,
      requesterName: r.requesterName,
      linkedAt: r.link.createdAt.toISOString(),
    };
    if (r.link.kind === "related") out.related.push(linked);
    else if (r.link.ticketId === ticketId) out.mergedInto = linked;
    else out.mergedFrom.push(linked);
  }
  return out;
}

/** Announces a change of links on both tickets (their pages refresh their link lists). */
function announce(
  uow: Uow,
  rows: Array<{ id: string; teamId: string | null; assigneeId: string | null; status: string }>,
) {
  for (const t of rows)
    uow.publish({
      type: "ticket.updated",
      ticketId: t.id,
      teamId: t.teamId,
      assigneeId: t.assigneeId,
      status: t.status,
      changes: { links: { from: null, to: null } },
    });
}

/** Links two tickets the caller may both see as related (shown on both). */
export async function addLink(ctx: Ctx, ticketId: string, otherId: string): Promise<TTicketLinks> {
  const actor = requireAgent(ctx.actor);
  if (ticketId === otherId) throw badRequest("A ticket cannot be linked to itself", { field: "ticketId" });
  await withTransaction(ctx, async (uow) => {
    const rows = await lockVisible(uow, [ticketId, otherId]);
    for (const id of [ticketId, otherId]) {
      const [count] = await uow.tx
        .select({ n: sql<number>`count(*)::int` })
        .from(ticketLinks)
        .where(
          and(eq(ticketLinks.kind, "related"), or(eq(ticketLinks.ticketId, id), eq(ticketLinks.otherId, id))),
        );
      if ((count?.n ?? 0) >= MAX_RELATED)
        throw conflict(`A ticket can have at most ${MAX_RELATED} related tickets`, { ticketId: id });
    }
    const inserted = await uow.tx
      .insert(ticketLinks)
      .values({ ...pair(ticketId, otherId), kind: "related", createdById: actor.userId })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) return;
    const a = rows.get(ticketId);
    const b = rows.get(otherId);
    if (!a || !b) return;
    uow.record(a.id, "link.added", { ticketId: b.id, number: b.number });
    uow.record(b.id, "link.added", { ticketId: a.id, number: a.number });
    announce(uow, [a, b]);
  });
  return listLinks(ctx, ticketId);
}

/** Removes a related link (either side may). */
export async function removeLink(ctx: Ctx, ticketId: string, otherId: string): Promise<TTicketLinks> {
  requireAgent(ctx.actor);
  await withTransaction(ctx, async (uow) => {
    const rows = await lockVisible(uow, [ticketId, otherId]);
    const p = pair(ticketId, otherId);
    const removed = await uow.tx
      .delete(ticketLinks)
      .where(
        and(
          eq(ticketLinks.ticketId, p.ticketId),
          eq(ticketLinks.otherId, p.otherId),
          eq(ticketLinks.kind, "related"),
        ),
      )
      .returning();
    if (removed.length === 0) return;
    const a = rows.get(ticketId);
    const b = rows.get(otherId);
    if (!a || !b) return;
    uow.record(a.id, "link.removed", { ticketId: b.id, number: b.number });
    uow.record(b.id, "link.removed", { ticketId: a.id, number: a.number });
    announce(uow, [a, b]);
  });
  return listLinks(ctx, ticketId);
}

/** Adds a related link inside a unit of work that holds both tickets (split). */
export async function linkRelated(uow: Uow, a: string, b: string, createdById: string | null) {
  await uow.tx
    .insert(ticketLinks)
    .values({ ...pair(a, b), kind: "related", createdById })
    .onConflictDoNothing();
}
