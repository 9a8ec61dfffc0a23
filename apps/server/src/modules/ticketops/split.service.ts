import { and, eq, sql } from "drizzle-orm";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { createTickets } from "../tickets/pipeline.ts";
import { fetchTicket, loadVisibleTicket } from "../tickets/tickets.service.ts";
import { messages } from "../tickets/tickets.table.ts";
import { withTransaction } from "../tickets/unit-of-work.ts";
import { linkRelated } from "./links.service.ts";
import { moveMessage, recountMessages } from "./moves.ts";

/**
 * Splits one message off into a new ticket for the same requester (a customer who asked two
 * things in one thread): the message, its files and email record move; the new ticket is
 * created through the pipeline (triggers, routing, SLA run on it), both timelines record the
 * split and the two tickets are linked as related.
 */
export async function splitMessage(
  ctx: Ctx,
  ticketId: string,
  messageId: string,
  input: { subject?: string },
) {
  const actor = requireAgent(ctx.actor);
  const created = await withTransaction(ctx, async (uow) => {
    const source = await loadVisibleTicket(uow.tx, actor, ticketId, { lock: true });
    requireCan(actor, "ticket.split", source);
    const [message] = await uow.tx
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.id, messageId), eq(messages.ticketId, source.id)));
    if (!message) throw notFound("Message");
    const [count] = await uow.tx
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(eq(messages.ticketId, source.id));
    if ((count?.n ?? 0) < 2)
      throw badRequest("The only message of a ticket cannot be split off", { field: "messageId" });
    const [item] = await createTickets(uow, [
      {
        input: {
          subject: input.subject ?? source.subject,
          requester: { id: source.requesterId },
          priority: source.priority,
          channel: source.channel,
          teamId: source.teamId,
          tags: source.tags,
          language: source.language,
        },
      },
    ]);
    if (!item) throw new Error("insert returned nothing");
    const fresh = item.ticket;
    await moveMessage(uow.tx, messageId, fresh.id);
    await recountMessages(uow.tx, [source.id, fresh.id], uow.ctx.now());
    await linkRelated(uow, source.id, fresh.id, actor.userId);
    uow.record(source.id, "message.split", { messageId, ticketId: fresh.id, number: fresh.number });
    uow.record(fresh.id, "ticket.split_from", { messageId, ticketId: source.id, number: source.number });
    uow.publish({
      type: "ticket.updated",
      ticketId: source.id,
      teamId: source.teamId,
      assigneeId: source.assigneeId,
      status: source.status,
      changes: { split: { from: null, to: messageId } },
    });
    return fresh.id;
  });
  return { ticket: await fetchTicket(ctx.db, actor, created), sourceId: ticketId, messageId };
}
