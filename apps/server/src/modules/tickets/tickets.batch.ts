import { randomUUID } from "node:crypto";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { tsvectorLiteral } from "../../lib/search.ts";
import type { DomainEvent } from "../../realtime/bus.ts";
import type { contacts } from "../contacts/contacts.table.ts";
import { batchHooks, type CreatedBatchItem } from "./hooks.ts";
import { renderBody } from "./messages.service.ts";
import type { TCreateTicket } from "./tickets.schema.ts";
import { newTicketValues, writeEvents } from "./tickets.service.ts";
import { messages, tickets } from "./tickets.table.ts";

export type BatchTicket = {
  /** Without a message of its own (`message` below is its first one). */
  input: TCreateTicket;
  requester: typeof contacts.$inferSelect;
  /** The first message, from the requester, public, without attachments. */
  message: { body: string; html?: string; metadata: Record<string, unknown> };
};

/**
 * Creates many tickets, each with its requester's first message, inside the caller's
 * transaction: one insert per table, then the batch forms of the ticket hooks (decision 0009).
 * The rows are those createTicket + insertMessage write for the same input; callers check
 * `batchCovers` first and fall back to those functions when a hook has no batch form.
 */
export async function createTicketsWithMessages(
  tx: DbOrTx,
  ctx: Ctx,
  list: BatchTicket[],
): Promise<{ items: CreatedBatchItem[]; events: DomainEvent[] }> {
  if (list.length === 0) return { items: [], events: [] };
  for (const hook of batchHooks.beforeCreate)
    await hook(
      tx,
      ctx,
      list.map((l) => l.input),
    );
  const now = ctx.now();
  const ticketRows = list.map(({ input, requester }) => ({
    id: randomUUID(),
    ...newTicketValues(input, requester, now),
    messageCount: 1,
    lastMessageAt: now,
    lastCustomerMessageAt: now,
  }));
  const insertedTickets = await tx.insert(tickets).values(ticketRows).returning();
  const messageRows = list.map(({ input, requester, message }, i) => {
    const { bodyText, bodyHtml } = renderBody(message);
    return {
      id: randomUUID(),
      ticketId: ticketRows[i]?.id ?? "",
      authorType: "customer",
      authorUserId: null,
      authorContactId: requester.id,
      internal: false,
      channel: input.channel,
      bodyText,
      bodyHtml,
      metadata: message.metadata,
      searchVector: tsvectorLiteral([{ text: bodyText, weight: "B" }]),
      createdAt: now,
    };
  });
  const insertedMessages = await tx.insert(messages).values(messageRows).returning();
  const ticketById = new Map(insertedTickets.map((t) => [t.id, t]));
  const messageById = new Map(insertedMessages.map((m) => [m.id, m]));
  const items: CreatedBatchItem[] = ticketRows.map((t, i) => {
    const ticket = ticketById.get(t.id);
    const message = messageById.get(messageRows[i]?.id ?? "");
    if (!ticket || !message) throw new Error("insert returned fewer rows");
    return { ticket, message };
  });
  await writeEvents(
    tx,
    ctx.actor,
    items.flatMap(({ ticket, message }) => [
      {
        ticketId: ticket.id,
        type: "ticket.created",
        data: {
          status: ticket.status,
          priority: ticket.priority,
          channel: ticket.channel,
          assigneeId: ticket.assigneeId,
          teamId: ticket.teamId,
        },
        at: now,
      },
      {
        ticketId: ticket.id,
        type: "reply.added",
        data: { messageId: message.id, authorType: "customer" },
        at: now,
      },
    ]),
  );
  for (const hook of batchHooks.created) await hook(tx, ctx, items);
  const events: DomainEvent[] = items.flatMap(({ ticket, message }) => [
    {
      type: "ticket.created" as const,
      ticketId: ticket.id,
      teamId: ticket.teamId,
      assigneeId: ticket.assigneeId,
      status: ticket.status,
    },
    {
      type: "message.created" as const,
      ticketId: ticket.id,
      messageId: message.id,
      teamId: ticket.teamId,
      assigneeId: ticket.assigneeId,
      internal: false,
      authorType: "customer",
    },
  ]);
  return { items, events };
}
