import { asc, eq } from "drizzle-orm";
import type { RapportModule } from "../registry.ts";
import { ensureLanguage } from "../routing/routing.service.ts";
import { creating, insideHook, isBeingCreated, isInsideHook } from "../routing/ticket-changes.ts";
import { addBatchHook, addTicketHook, type TicketHooks } from "../tickets/hooks.ts";
import { type MessageHook, messageHooks } from "../tickets/messages.service.ts";
import { messages, tickets } from "../tickets/tickets.table.ts";
import { automationsRoutes } from "./automations.routes.ts";
import { scheduleSweep, timeRuleJobHandlers } from "./time-rules.service.ts";
import { activeTriggers, runTriggers } from "./triggers.service.ts";

/**
 * Triggers run inside the ticket transactions (decision 0005). While they run, this hook is
 * marked as running: changes they make do not re-enter it (the trigger loop re-evaluates
 * itself, bounded), and `created` handles a new ticket once its first message is there.
 */
const triggersUpdated: TicketHooks["updated"][number] = async (tx, ctx, _prev, ticket, changes) => {
  if (isBeingCreated(ticket.id) || isInsideHook(triggersUpdated)) return;
  await insideHook(triggersUpdated, () => runTriggers(tx, ctx, ticket.id, "ticket.updated", { changes }));
};

async function onCreated(
  ...[tx, ctx, ticketId]: [Parameters<MessageHook>[0], Parameters<MessageHook>[1], string]
) {
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket || ticket.messageCount === 0) return;
  await ensureLanguage(tx, ctx, ticket);
  const [first] = await tx
    .select()
    .from(messages)
    .where(eq(messages.ticketId, ticketId))
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(1);
  await runTriggers(tx, ctx, ticketId, "ticket.created", { message: first ?? null });
}

const triggersCreated: TicketHooks["created"][number] = async (tx, ctx, ticket) =>
  creating.run(ticket.id, () => insideHook(triggersUpdated, () => onCreated(tx, ctx, ticket.id)));

const triggersMessage: MessageHook = async (tx, ctx, ticket, message, input) => {
  if (input.moveStatus === false || message.internal || isInsideHook(triggersUpdated)) return;
  if (ticket.messageCount === 0) {
    // A ticket created without a message (the email channel): its first message completes it.
    await creating.run(ticket.id, () => insideHook(triggersUpdated, () => onCreated(tx, ctx, ticket.id)));
    return;
  }
  const event =
    message.authorType === "customer"
      ? "customer.replied"
      : message.authorType === "agent"
        ? "agent.replied"
        : null;
  if (!event) return;
  await insideHook(triggersUpdated, () => runTriggers(tx, ctx, ticket.id, event, { message }));
};

addTicketHook("created", triggersCreated);
addTicketHook("updated", triggersUpdated);
if (!messageHooks.includes(triggersMessage)) messageHooks.push(triggersMessage);
/** A batch of new tickets: the trigger list is read once; with no "ticket created" trigger there is nothing to do. */
addBatchHook("created", [triggersCreated, triggersMessage], async (tx, ctx, items) => {
  if ((await activeTriggers(tx, "ticket.created")).length === 0) return;
  for (const { ticket } of items)
    await creating.run(ticket.id, () => insideHook(triggersUpdated, () => onCreated(tx, ctx, ticket.id)));
});

export const automationsModule: RapportModule = {
  name: "automations",
  routes: automationsRoutes,
  jobs: timeRuleJobHandlers,
  start: async (services) => {
    if (services.config.jobs.enabled) await scheduleSweep(services.db, services.now());
    return { stop: async () => {} };
  },
};
