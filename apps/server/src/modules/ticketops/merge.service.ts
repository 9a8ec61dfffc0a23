import { and, eq, inArray, sql } from "drizzle-orm";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { badRequest, conflict } from "../../lib/errors.ts";
import { addTicketMessage } from "../tickets/pipeline.ts";
import {
  fetchTicket,
  loadVisibleTicket,
  type TicketRow,
  updateTicketRow,
} from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { type Uow, withTransaction } from "../tickets/unit-of-work.ts";
import { lastEventId, moveConversation, moveRelated, recountMessages } from "./moves.ts";
import { sourceNotice, targetNotice } from "./notices.ts";
import type { TMergeResult, TMergeTickets } from "./ticketops.schema.ts";
import { ticketLinks } from "./ticketops.table.ts";

/**
 * Locks tickets in one order (by id), so two merges over the same tickets never deadlock,
 * and checks the caller may see each (404 otherwise: existence does not leak).
 */
export async function lockVisible(uow: Uow, ids: string[]): Promise<Map<string, TicketRow>> {
  const actor = requireAgent(uow.ctx.actor);
  const rows = new Map<string, TicketRow>();
  for (const id of [...ids].sort()) rows.set(id, await loadVisibleTicket(uow.tx, actor, id, { lock: true }));
  return rows;
}

/**
 * Merges tickets into a target (Zendesk's "merge"): each source's messages, timeline,
 * followers, promises, call-backs, calls and files move to the target; the customer is told
 * in both threads, in the ticket's language; the source is closed with a `merged` link to
 * the target. Tickets of another customer need `confirmCrossCustomer` (409 otherwise); the
 * source's requester then follows the target, so they still get the answers.
 */
export async function mergeTickets(ctx: Ctx, targetId: string, input: TMergeTickets): Promise<TMergeResult> {
  const actor = requireAgent(ctx.actor);
  const sourceIds = [...new Set(input.sourceIds)];
  if (sourceIds.includes(targetId))
    throw badRequest("A ticket cannot be merged into itself", { field: "sourceIds" });
  const result = await withTransaction(ctx, async (uow) => {
    const rows = await lockVisible(uow, [targetId, ...sourceIds]);
    const target = rows.get(targetId) as TicketRow;
    requireCan(actor, "ticket.merge", target);
    const sources = sourceIds.map((id) => rows.get(id) as TicketRow);
    for (const s of sources) requireCan(actor, "ticket.merge", s);
    const already = await uow.tx
      .select({ id: ticketLinks.ticketId })
      .from(ticketLinks)
      .where(and(inArray(ticketLinks.ticketId, [targetId, ...sourceIds]), eq(ticketLinks.kind, "merged")));
    if (already.length)
      throw conflict("A ticket here was merged already", { ticketIds: already.map((r) => r.id) });
    const others = sources.filter((s) => s.requesterId !== target.requesterId);
    const crossCustomer = others.length > 0;
    if (crossCustomer && !input.confirmCrossCustomer)
      throw conflict("These tickets belong to different customers: confirm to merge them", {
        reason: "cross_customer",
        ticketIds: others.map((s) => s.id),
      });

    const now = uow.ctx.now();
    const merged: TMergeResult["merged"] = [];
    for (const source of sources) {
      const eventsUpTo = await lastEventId(uow.tx, source.id);
      const notice = await addTicketMessage(uow, source, {
        body: sourceNotice(source.language, source.number, target.number, target.subject),
        internal: false,
        authorType: "agent",
        authorUserId: actor.userId,
        channel: source.channel,
      });
      const movedMessages = await moveConversation(uow.tx, source.id, target.id, {
        keepMessageId: notice.message.id,
        eventsUpTo,
      });
      await moveRelated(uow.tx, source.id, target.id);
      if (source.requesterId !== target.requesterId) await followTarget(uow, source, target.id);
      await uow.tx
        .insert(ticketLinks)
        .values({ ticketId: source.id, otherId: target.id, kind: "merged", createdById: actor.userId });
      uow.record(source.id, "ticket.merged_into", {
        ticketId: target.id,
        number: target.number,
        crossCustomer: source.requesterId !== target.requesterId,
      });
      uow.record(target.id, "ticket.merged", {
        ticketId: source.id,
        number: source.number,
        messages: movedMessages,
        crossCustomer: source.requesterId !== target.requesterId,
      });
      await updateTicketRow(uow, notice.ticket, { status: "closed" });
      merged.push({ id: source.id, number: source.number, movedMessages });
    }
    await recountMessages(uow.tx, [target.id, ...sourceIds], now);
    const [fresh] = await uow.tx.select().from(tickets).where(eq(tickets.id, target.id));
    await addTicketMessage(uow, fresh ?? target, {
      body: targetNotice(
        target.language,
        sources.map((s) => s.number),
        target.number,
      ),
      internal: false,
      authorType: "agent",
      authorUserId: actor.userId,
      channel: target.channel,
    });
    uow.publish({
      type: "ticket.updated",
      ticketId: target.id,
      teamId: target.teamId,
      assigneeId: target.assigneeId,
      status: (fresh ?? target).status,
      changes: { merged: { from: null, to: sourceIds } },
    });
    return { merged, crossCustomer };
  });
  return { target: await fetchTicket(ctx.db, actor, targetId), ...result };
}

/** A customer whose ticket went into another customer's follows the target (copied on replies). */
async function followTarget(uow: Uow, source: TicketRow, targetId: string) {
  await uow.tx.execute(sql`insert into ticket_followers (ticket_id, contact_id, email)
    select ${targetId}, ce.contact_id, ce.email from contact_emails ce
    where ce.contact_id = ${source.requesterId}
    order by ce.is_primary desc, ce.created_at limit 1
    on conflict do nothing`);
}
