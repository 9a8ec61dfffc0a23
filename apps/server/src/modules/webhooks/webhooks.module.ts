import type { RapportModule } from "../registry.ts";
import { isBeingCreated } from "../routing/ticket-changes.ts";
import { addBatchHook, addTicketHook, type TicketHooks } from "../tickets/hooks.ts";
import { type MessageHook, messageHooks, type NewMessage } from "../tickets/messages.service.ts";
import { webhooksRoutes } from "./webhooks.routes.ts";
import { queueEvent, subscribers, ticketPayload, webhookJobHandlers } from "./webhooks.service.ts";

/** Ticket events to subscribed webhooks, queued in the ticket's transaction (sent after commit). */
const createdHook: TicketHooks["created"][number] = async (tx, _ctx, ticket) => {
  await queueEvent(tx, "ticket.created", { ticket: ticketPayload(ticket) });
};
const updatedHook: TicketHooks["updated"][number] = async (tx, _ctx, _prev, ticket, changes) => {
  if (isBeingCreated(ticket.id)) return;
  await queueEvent(tx, "ticket.updated", { ticket: ticketPayload(ticket), changes });
};
const messageHook: MessageHook = async (tx, _ctx, ticket, message) => {
  await queueEvent(tx, "message.created", {
    ticket: { id: ticket.id, number: ticket.number },
    message: {
      id: message.id,
      authorType: message.authorType,
      internal: message.internal,
      channel: message.channel,
      bodyText: message.bodyText,
      createdAt: message.createdAt.toISOString(),
    },
  });
};

addTicketHook("created", createdHook);
addTicketHook("updated", updatedHook);
if (!messageHooks.includes(messageHook)) messageHooks.push(messageHook);
/** A batch of new tickets: subscriptions read once; each ticket's two events queued only when someone listens. */
addBatchHook("created", [createdHook, messageHook], async (tx, ctx, items) => {
  if ((await subscribers(tx, ["ticket.created", "message.created"])).length === 0) return;
  for (const { ticket, message } of items) {
    await createdHook(tx, ctx, ticket);
    await messageHook(tx, ctx, ticket, message, {
      internal: false,
      authorType: "customer",
      channel: message.channel as NewMessage["channel"],
    });
  }
});

export const webhooksModule: RapportModule = {
  name: "webhooks",
  routes: webhooksRoutes,
  jobs: webhookJobHandlers,
};
