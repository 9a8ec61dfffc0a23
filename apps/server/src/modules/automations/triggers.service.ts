import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { contactEmails, contacts } from "../contacts/contacts.table.ts";
import { requireManager } from "../routing/routing.service.ts";
import { teams } from "../teams/teams.table.ts";
import type { TicketChanges } from "../tickets/hooks.ts";
import { writeEvent } from "../tickets/tickets.service.ts";
import { type messages, tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";
import { webhooks } from "../webhooks/webhooks.table.ts";
import { applyActions } from "./actions.ts";
import type { TCreateTrigger, TTrigger, TUpdateTrigger } from "./automations.schema.ts";
import { triggers } from "./automations.table.ts";
import {
  type Action,
  type Condition,
  conditionErrors,
  type Facts,
  matches,
  type TriggerEvent,
} from "./rules.ts";

/** At most this many trigger passes per change; a pass that changes the ticket starts another. */
export const MAX_TRIGGER_PASSES = 10;

type MessageRow = typeof messages.$inferSelect;

export async function loadFacts(
  tx: DbOrTx,
  ticketId: string,
  message: MessageRow | null,
  changes: TicketChanges,
  now: Date,
): Promise<Facts> {
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) throw new Error("ticket vanished");
  const [contact] = await tx.select().from(contacts).where(eq(contacts.id, ticket.requesterId));
  const [email] = await tx
    .select({ email: contactEmails.email })
    .from(contactEmails)
    .where(eq(contactEmails.contactId, ticket.requesterId))
    .orderBy(desc(contactEmails.isPrimary), asc(contactEmails.createdAt))
    .limit(1);
  return {
    ticket,
    contact: contact
      ? {
          name: contact.name,
          email: email?.email ?? null,
          language: contact.language,
          tags: contact.tags,
          organizationId: contact.organizationId,
          customFields: contact.customFields ?? {},
        }
      : null,
    message: message
      ? {
          bodyText: message.bodyText,
          authorType: message.authorType,
          internal: message.internal,
          channel: message.channel,
        }
      : null,
    changes,
    now,
  };
}

const diff = (before: Record<string, unknown>, after: Record<string, unknown>, into: TicketChanges) => {
  for (const k of ["status", "priority", "assigneeId", "teamId", "tags", "language", "subject"]) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      into[k] = { from: into[k]?.from ?? before[k], to: after[k] };
  }
};

/**
 * Runs the active triggers listening to `event` on one ticket, in position order, inside the
 * change's transaction. Each trigger fires at most once per change; when one changes the
 * ticket, the list is evaluated again from the top (later triggers see its changes), at most
 * MAX_TRIGGER_PASSES times; past the bound a `automation.loop_bound` event is recorded.
 * Returns the names of the triggers that fired.
 */
/** The active triggers listening to `event`, in the order they run. */
export async function activeTriggers(tx: DbOrTx, event: TriggerEvent) {
  const all = await tx
    .select()
    .from(triggers)
    .where(eq(triggers.active, true))
    .orderBy(asc(triggers.position), asc(triggers.createdAt));
  return all.filter((t) => t.events.includes(event));
}

export async function runTriggers(
  tx: DbOrTx,
  ctx: Ctx,
  ticketId: string,
  event: TriggerEvent,
  opts: { message?: MessageRow | null; changes?: TicketChanges } = {},
): Promise<string[]> {
  const list = await activeTriggers(tx, event);
  if (list.length === 0) return [];
  const fired = new Set<string>();
  const names: string[] = [];
  const changes: TicketChanges = { ...(opts.changes ?? {}) };
  for (let pass = 1; pass <= MAX_TRIGGER_PASSES; pass++) {
    const facts = await loadFacts(tx, ticketId, opts.message ?? null, changes, ctx.now());
    if (facts.ticket.status === "closed" && event !== "ticket.updated") return names;
    let restart = false;
    for (const trig of list) {
      if (fired.has(trig.id)) continue;
      if (!matches(trig.match, trig.conditions as Condition[], facts)) continue;
      fired.add(trig.id);
      names.push(trig.name);
      await writeEvent(
        tx,
        ticketId,
        SYSTEM,
        "trigger.fired",
        { triggerId: trig.id, name: trig.name, event },
        ctx.now(),
      );
      const before = { ...facts.ticket };
      const changed = await applyActions(tx, ctx, ticketId, trig.actions as Action[], {
        kind: "trigger",
        id: trig.id,
        name: trig.name,
      });
      if (changed) {
        const [after] = await tx.select().from(tickets).where(eq(tickets.id, ticketId));
        if (after) diff(before, after, changes);
        restart = true;
        break;
      }
    }
    if (!restart) return names;
  }
  const pending = list.filter((t) => !fired.has(t.id)).map((t) => t.name);
  await writeEvent(
    tx,
    ticketId,
    SYSTEM,
    "automation.loop_bound",
    { event, passes: MAX_TRIGGER_PASSES, notEvaluated: pending.slice(0, 20) },
    ctx.now(),
  );
  return names;
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
  requireManager(ctx.actor);
  const rows = await ctx.db.select().from(triggers).orderBy(asc(triggers.position), asc(triggers.createdAt));
  return rows.map(toTrigger);
}

export async function createTrigger(ctx: Ctx, input: TCreateTrigger): Promise<TTrigger> {
  const me = requireManager(ctx.actor);
  await validateRule(ctx.db, input.conditions, input.actions, "trigger");
  const [row] = await ctx.db
    .insert(triggers)
    .values({ ...input, events: [...new Set(input.events)], createdBy: me.userId })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return toTrigger(row);
}

export async function updateTrigger(ctx: Ctx, id: string, input: TUpdateTrigger): Promise<TTrigger> {
  requireManager(ctx.actor);
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
  requireManager(ctx.actor);
  const rows = await ctx.db
    .delete(triggers)
    .where(and(eq(triggers.id, id)))
    .returning({ id: triggers.id });
  if (rows.length === 0) throw notFound("Trigger");
}
