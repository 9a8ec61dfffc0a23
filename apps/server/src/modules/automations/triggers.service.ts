import { and, asc, eq, inArray } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { teams } from "../teams/teams.table.ts";
import type {
  AddedMessage,
  CreatedTicket,
  MessageRow,
  TicketChanges,
  UpdatedTicket,
} from "../tickets/pipeline.ts";
import { pipelineSettings } from "../tickets/settings.ts";
import type { ChangingTicket } from "../tickets/ticket-changes.ts";
import type { TicketRow } from "../tickets/tickets.service.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import { requestersIn } from "../value/value.facts.ts";
import { webhooks } from "../webhooks/webhooks.table.ts";
import { applyActions } from "./actions.ts";
import type { TCreateTrigger, TTrigger, TUpdateTrigger } from "./automations.schema.ts";
import { triggers } from "./automations.table.ts";
import {
  type Action,
  type Condition,
  type CsatFacts,
  conditionErrors,
  type Facts,
  matches,
  type TriggerEvent,
} from "./rules.ts";

/** At most this many trigger passes per change; a pass that changes the ticket starts another. */
export const MAX_TRIGGER_PASSES = 10;

/**
 * What trigger conditions read: the ticket as it is now, the message, and its requester with
 * their value figures (read once per unit, and only when a condition looks at the contact or
 * its value).
 */
export async function loadFacts(
  uow: Uow,
  ticket: TicketRow,
  message: MessageRow | null,
  changes: TicketChanges,
  withContact = true,
  csat: CsatFacts | null = null,
): Promise<Facts> {
  const contact = withContact
    ? ((await requestersIn(uow, [ticket.requesterId])).get(ticket.requesterId) ?? null)
    : null;
  return {
    ticket,
    contact: contact
      ? {
          name: contact.contact.name,
          email: contact.email ?? null,
          language: contact.contact.language,
          tags: contact.contact.tags,
          organizationId: contact.contact.organizationId,
          customFields: contact.contact.customFields ?? {},
        }
      : null,
    value: contact?.value ?? null,
    message: message
      ? {
          bodyText: message.bodyText,
          authorType: message.authorType,
          internal: message.internal,
          channel: message.channel,
        }
      : null,
    csat,
    changes,
    now: uow.ctx.now(),
  };
}

/** The active triggers listening to `event`, in the order they run (the unit's settings). */
export async function activeTriggers(uow: Uow, event: TriggerEvent) {
  return (await pipelineSettings(uow)).triggers.filter((t) => t.events.includes(event));
}

/**
 * Runs the active triggers listening to `event` on one ticket, in position order, inside the
 * change's unit of work. Each trigger fires at most once per change; when one changes the
 * ticket, the list is evaluated again from the top (later triggers see its changes), at most
 * MAX_TRIGGER_PASSES times; past the bound a `automation.loop_bound` event is recorded. What
 * triggers change is written (changeTicket) and gathered in `item.changes`, for the steps
 * after this one. Returns the names of the triggers that fired.
 */
export async function runTriggers(
  uow: Uow,
  item: ChangingTicket,
  event: TriggerEvent,
  opts: { message?: MessageRow | null; csat?: CsatFacts } = {},
): Promise<string[]> {
  const list = await activeTriggers(uow, event);
  if (list.length === 0) return [];
  const withContact = list.some((t) =>
    (t.conditions as Condition[]).some((c) => c.field.startsWith("contact.") || c.field.startsWith("value.")),
  );
  const fired = new Set<string>();
  const names: string[] = [];
  for (let pass = 1; pass <= MAX_TRIGGER_PASSES; pass++) {
    const facts = await loadFacts(
      uow,
      item.ticket,
      opts.message ?? null,
      item.changes,
      withContact,
      opts.csat ?? null,
    );
    if (facts.ticket.status === "closed" && event !== "ticket.updated") return names;
    let restart = false;
    for (const trig of list) {
      if (fired.has(trig.id)) continue;
      if (!matches(trig.match, trig.conditions as Condition[], facts)) continue;
      fired.add(trig.id);
      names.push(trig.name);
      uow.record(item.ticket.id, "trigger.fired", { triggerId: trig.id, name: trig.name, event }, SYSTEM);
      const changed = await applyActions(uow, item, trig.actions as Action[], {
        kind: "trigger",
        id: trig.id,
        name: trig.name,
      });
      if (changed) {
        restart = true;
        break;
      }
    }
    if (!restart) return names;
  }
  const pending = list.filter((t) => !fired.has(t.id)).map((t) => t.name);
  uow.record(
    item.ticket.id,
    "automation.loop_bound",
    { event, passes: MAX_TRIGGER_PASSES, notEvaluated: pending.slice(0, 20) },
    SYSTEM,
  );
  return names;
}

// ---- pipeline steps

/** Creation step: "ticket created" triggers, with the first message. */
export async function triggersOnCreate(uow: Uow, items: CreatedTicket[]) {
  if ((await activeTriggers(uow, "ticket.created")).length === 0) return;
  for (const item of items) await runTriggers(uow, item, "ticket.created", { message: item.message });
}

/** Update step: "ticket updated" triggers, seeing the caller's changes. */
export async function triggersOnUpdate(uow: Uow, items: UpdatedTicket[]) {
  if ((await activeTriggers(uow, "ticket.updated")).length === 0) return;
  for (const item of items) await runTriggers(uow, item, "ticket.updated");
}

/** Message step: "customer replied" or "agent replied" triggers, for public messages. */
export async function triggersOnMessage(uow: Uow, items: AddedMessage[]) {
  for (const item of items) {
    const { message, input } = item;
    if (input.moveStatus === false || message.internal) continue;
    const event =
      message.authorType === "customer"
        ? "customer.replied"
        : message.authorType === "agent"
          ? "agent.replied"
          : null;
    if (event) await runTriggers(uow, item, event, { message });
  }
}

// ---- validation shared by triggers and time rules ----

export async function validateRule(
  db: DbOrTx,
  conditions: Condition[],
  actions: Action[],
  scope: "trigger" | "time",
) {
  const errors = conditionErrors(conditions, scope);
  const userIds = new Set<string>();
  const teamIds = new Set<string>();
  const webhookIds = new Set<string>();
  actions.forEach((a) => {
    if (a.type === "assign") {
      if (a.teamId) teamIds.add(a.teamId);
      if (a.assigneeId) userIds.add(a.assigneeId);
      if (a.teamId === undefined && a.assigneeId === undefined)
        errors.push("actions: assign needs teamId or assigneeId");
    }
    if (a.type === "notify" && !["assignee", "team", "managers", "admins"].includes(a.to)) userIds.add(a.to);
    if (a.type === "webhook") webhookIds.add(a.webhookId);
  });
  const check = async (
    ids: Set<string>,
    what: string,
    find: (ids: string[]) => Promise<Array<{ id: string }>>,
  ) => {
    if (ids.size === 0) return;
    const found = new Set((await find([...ids])).map((r) => r.id));
    for (const id of ids) if (!found.has(id)) errors.push(`actions: unknown ${what} ${id}`);
  };
  await check(userIds, "user", (ids) =>
    db.select({ id: users.id }).from(users).where(inArray(users.id, ids)),
  );
  await check(teamIds, "team", (ids) =>
    db.select({ id: teams.id }).from(teams).where(inArray(teams.id, ids)),
  );
  await check(webhookIds, "webhook", (ids) =>
    db.select({ id: webhooks.id }).from(webhooks).where(inArray(webhooks.id, ids)),
  );
  if (errors.length > 0) throw badRequest(errors[0] ?? "invalid rule", { errors });
}

// ---- API ----

const toTrigger = (t: typeof triggers.$inferSelect): TTrigger => ({
  id: t.id,
  name: t.name,
  description: t.description,
  events: t.events as TriggerEvent[],
  match: t.match,
  conditions: t.conditions as Condition[],
  actions: t.actions as Action[],
  active: t.active,
  position: t.position,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

export async function listTriggers(ctx: Ctx): Promise<TTrigger[]> {
  requireCan(ctx.actor, "automations.manage");
  const rows = await ctx.db.select().from(triggers).orderBy(asc(triggers.position), asc(triggers.createdAt));
  return rows.map(toTrigger);
}

export async function createTrigger(ctx: Ctx, input: TCreateTrigger): Promise<TTrigger> {
  const me = requireCan(ctx.actor, "automations.manage");
  await validateRule(ctx.db, input.conditions, input.actions, "trigger");
  const [row] = await ctx.db
    .insert(triggers)
    .values({ ...input, events: [...new Set(input.events)], createdBy: me.userId })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return toTrigger(row);
}

export async function updateTrigger(ctx: Ctx, id: string, input: TUpdateTrigger): Promise<TTrigger> {
  requireCan(ctx.actor, "automations.manage");
  const [prev] = await ctx.db.select().from(triggers).where(eq(triggers.id, id));
  if (!prev) throw notFound("Trigger");
  await validateRule(
    ctx.db,
    input.conditions ?? (prev.conditions as Condition[]),
    input.actions ?? (prev.actions as Action[]),
    "trigger",
  );
  const [row] = await ctx.db
    .update(triggers)
    .set({ ...input, ...(input.events ? { events: [...new Set(input.events)] } : {}), updatedAt: ctx.now() })
    .where(eq(triggers.id, id))
    .returning();
  if (!row) throw notFound("Trigger");
  return toTrigger(row);
}

export async function deleteTrigger(ctx: Ctx, id: string) {
  requireCan(ctx.actor, "automations.manage");
  const rows = await ctx.db
    .delete(triggers)
    .where(and(eq(triggers.id, id)))
    .returning({ id: triggers.id });
  if (rows.length === 0) throw notFound("Trigger");
}
