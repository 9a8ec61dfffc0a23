import { and, desc, eq } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import { callScope, can, requireAgent } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { e164, linkContactDetails, matchContact } from "../channels/match.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { addTicketMessage, createTickets } from "../tickets/pipeline.ts";
import { checkNewTicket } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { actingAs, withTransaction } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import { applyOutcome, getCallback, loadVisibleCallback } from "./callbacks.service.ts";
import type { TCall, TCallbackOutcome, TLogCall } from "./phone.schema.ts";
import { calls } from "./phone.table.ts";

type CallRow = typeof calls.$inferSelect;

const minutes = (s: number) => (s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`);

/** The thread text of a call (the web app renders a localized card from the call itself). */
export function callSummary(
  c: Pick<CallRow, "direction" | "phone" | "durationSeconds" | "outcome" | "notes">,
) {
  const head = `${c.direction === "inbound" ? "Inbound call from" : "Outbound call to"} ${c.phone} · ${minutes(
    c.durationSeconds,
  )} · ${c.outcome.replace("_", " ")}`;
  return c.notes.trim() ? `${head}\n\n${c.notes.trim()}` : head;
}

/**
 * Logs a call in one transaction: on a ticket the agent can see, on a new ticket (channel
 * "phone") created for it, or on the contact alone. On a ticket the call becomes a thread
 * message (channel "phone", written by the system so no channel sends it anywhere; it
 * carries the call in its metadata). The contact is the ticket's requester, `contactId`,
 * or the one matched by the E.164 number (created if none); the number is added to it.
 */
export async function logCall(
  ctx: Ctx,
  input: TLogCall,
  extra: { callbackId?: string; outcome?: TCallbackOutcome } = {},
): Promise<TCall> {
  const actor = requireAgent(ctx.actor);
  const phone = e164(input.phone);
  const now = ctx.now();
  const startedAt = input.startedAt ? new Date(input.startedAt) : now;
  if (startedAt.getTime() > now.getTime() + 5 * 60_000)
    throw badRequest("A call cannot start in the future", { field: "startedAt" });
  const id = await withTransaction(ctx, async (uow) => {
    const { tx } = uow;
    let ticket: typeof tickets.$inferSelect | undefined;
    let callback: Awaited<ReturnType<typeof loadVisibleCallback>> | undefined;
    if (extra.callbackId) callback = await loadVisibleCallback(tx, actor, extra.callbackId);
    const ticketId = input.ticketId ?? callback?.ticketId ?? undefined;
    if (ticketId) {
      const [t] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update");
      if (!t || !can(actor, "ticket.read", t)) throw notFound("Ticket");
      ticket = t;
    }
    let contactId: string;
    if (ticket) contactId = ticket.requesterId;
    else if (callback) contactId = callback.contactId;
    else if (input.contactId) {
      const [c] = await tx.select({ id: contacts.id }).from(contacts).where(eq(contacts.id, input.contactId));
      if (!c) throw notFound("Contact");
      contactId = c.id;
    } else contactId = (await matchContact(tx, { phone })).id;
    if (input.contactId && ticket && input.contactId !== ticket.requesterId)
      throw badRequest("The contact is not this ticket's requester", { field: "contactId" });
    await linkContactDetails(tx, contactId, { phone });
    if (input.newTicket) {
      const newTicket = {
        subject: input.newTicket.subject,
        requester: { id: contactId },
        channel: "phone" as const,
        priority: "normal" as const,
        teamId: input.newTicket.teamId ?? null,
        assigneeId: input.newTicket.assignToMe ? actor.userId : null,
        tags: [],
      };
      await checkNewTicket(uow, newTicket);
      ticket = (await createTickets(uow, [{ input: newTicket }]))[0]?.ticket;
    }
    const values = {
      contactId,
      ticketId: ticket?.id ?? null,
      callbackId: callback?.id ?? null,
      agentId: actor.userId,
      direction: input.direction,
      phone,
      durationSeconds: input.durationSeconds,
      outcome: input.outcome,
      notes: input.notes,
      startedAt,
      createdAt: now,
    };
    let messageId: string | null = null;
    if (ticket) {
      if (ticket.status === "closed") throw badRequest("This ticket is closed; log the call on the contact");
      const { message: row } = await addTicketMessage(actingAs(uow, SYSTEM), ticket, {
        body: callSummary(values),
        internal: false,
        authorType: "system",
        channel: "phone",
        metadata: { call: { agentId: actor.userId, direction: input.direction, phone } },
      });
      messageId = row.id;
    }
    const [call] = await tx
      .insert(calls)
      .values({ ...values, messageId })
      .returning({ id: calls.id });
    if (!call) throw new Error("insert returned nothing");
    if (callback && extra.outcome) await applyOutcome(tx, ctx, callback, extra.outcome);
    return call.id;
  });
  return getCall(ctx, id);
}

function selectCalls(db: DbOrTx) {
  return db
    .select({
      call: calls,
      contactName: contacts.name,
      ticketNumber: tickets.number,
      ticketSubject: tickets.subject,
      agentName: users.name,
    })
    .from(calls)
    .innerJoin(contacts, eq(contacts.id, calls.contactId))
    .leftJoin(tickets, eq(tickets.id, calls.ticketId))
    .leftJoin(users, eq(users.id, calls.agentId));
}
type Selected = Awaited<ReturnType<ReturnType<typeof selectCalls>["execute"]>>[number];

function toCall(r: Selected): TCall {
  const c = r.call;
  return {
    id: c.id,
    contact: { id: c.contactId, name: r.contactName },
    ticket:
      c.ticketId && r.ticketNumber !== null
        ? { id: c.ticketId, number: Number(r.ticketNumber), subject: r.ticketSubject ?? "" }
        : null,
    messageId: c.messageId,
    callbackId: c.callbackId,
    agent: c.agentId ? { id: c.agentId, name: r.agentName ?? "" } : null,
    direction: c.direction as TCall["direction"],
    phone: c.phone,
    durationSeconds: c.durationSeconds,
    outcome: c.outcome as TCall["outcome"],
    notes: c.notes,
    startedAt: c.startedAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
  };
}

export async function getCall(ctx: Ctx, id: string): Promise<TCall> {
  const actor = requireAgent(ctx.actor);
  const [r] = await selectCalls(ctx.db).where(and(eq(calls.id, id), callScope(actor)));
  if (!r) throw notFound("Call");
  return toCall(r);
}

export async function getCallByMessage(ctx: Ctx, messageId: string): Promise<TCall> {
  const actor = requireAgent(ctx.actor);
  const [r] = await selectCalls(ctx.db).where(and(eq(calls.messageId, messageId), callScope(actor)));
  if (!r) throw notFound("Call");
  return toCall(r);
}

export async function listCalls(ctx: Ctx, q: { ticketId?: string; contactId?: string; limit: number }) {
  const actor = requireAgent(ctx.actor);
  if (!q.ticketId && !q.contactId) throw badRequest("Give ticketId or contactId");
  const rows = await selectCalls(ctx.db)
    .where(
      and(
        q.ticketId ? eq(calls.ticketId, q.ticketId) : undefined,
        q.contactId ? eq(calls.contactId, q.contactId) : undefined,
        callScope(actor),
      ),
    )
    .orderBy(desc(calls.startedAt), desc(calls.id))
    .limit(q.limit);
  return { items: rows.map(toCall) };
}

/**
 * An attempt on a call-back: logs the outbound call (on the call-back's ticket if it has
 * one) and applies the outcome, in one transaction.
 */
export async function logCallbackAttempt(ctx: Ctx, callbackId: string, o: TCallbackOutcome) {
  requireAgent(ctx.actor);
  const current = await getCallback(ctx, callbackId);
  await logCall(
    ctx,
    {
      direction: "outbound",
      phone: current.phone,
      durationSeconds: o.durationSeconds,
      outcome: o.outcome === "reached" ? "answered" : o.outcome,
      notes: o.notes,
    },
    { callbackId, outcome: o },
  );
  return getCallback(ctx, callbackId);
}
