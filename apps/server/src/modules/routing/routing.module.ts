import type { RapportModule } from "../registry.ts";
import { addBatchHook, addTicketHook } from "../tickets/hooks.ts";
import { type MessageHook, messageHooks } from "../tickets/messages.service.ts";
import { routingRoutes } from "./routing.routes.ts";
import { onFirstMessage, onTicketCreated, onTicketsCreated, onTicketUpdated } from "./routing.service.ts";
import { creating, insideHook } from "./ticket-changes.ts";

/** Hooks that route; each marks itself as running so its own assignments do not re-enter it. */
export const routingUpdatedHook = (...args: Parameters<typeof onTicketUpdated>) =>
  insideHook(routingUpdatedHook, () => onTicketUpdated(...args));
const routingCreatedHook = (...args: Parameters<typeof onTicketCreated>) =>
  creating.run(args[2].id, () => insideHook(routingUpdatedHook, () => onTicketCreated(...args)));
/** The first message of a ticket created without one (the email channel): route it now. */
const routingMessageHook: MessageHook = async (tx, ctx, ticket, _message, input) => {
  if (ticket.messageCount > 0 || input.moveStatus === false || input.internal) return;
  await creating.run(ticket.id, () =>
    insideHook(routingUpdatedHook, () => onFirstMessage(tx, ctx, ticket.id)),
  );
};

addTicketHook("created", routingCreatedHook);
addTicketHook("updated", routingUpdatedHook);
if (!messageHooks.includes(routingMessageHook)) messageHooks.push(routingMessageHook);
addBatchHook("created", [routingCreatedHook, routingMessageHook], (tx, ctx, items) =>
  onTicketsCreated(tx, ctx, items, (id, run) => creating.run(id, () => insideHook(routingUpdatedHook, run))),
);

export const routingModule: RapportModule = {
  name: "routing",
  routes: routingRoutes,
};
