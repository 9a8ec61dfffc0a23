import { and, asc, desc, eq } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import type { DbOrTx } from "../../db/client.ts";
import { contactEmails } from "../contacts/contacts.table.ts";
import {
  mailboxForTicket,
  queue as queueEmail,
  replyAddress,
  ticketSubject,
} from "../email/outbound.service.ts";
import { fillPlaceholders, placeholderValues, renderHtml } from "../macros/placeholders.ts";
import { notify } from "../notifications/notifications.service.ts";
import { teamMembers } from "../teams/teams.table.ts";
import { addTicketMessage } from "../tickets/pipeline.ts";
import { type ChangingTicket, changeTicket, type TicketPatch } from "../tickets/ticket-changes.ts";
import type { TicketRow } from "../tickets/tickets.service.ts";
import { actingAs, type Uow } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import { queueDelivery, ticketPayload } from "../webhooks/webhooks.service.ts";
import { webhooks } from "../webhooks/webhooks.table.ts";
import type { Action } from "./rules.ts";

export type Source = { kind: "trigger" | "time_rule"; id: string; name: string };

async function assigneeOf(tx: DbOrTx, ticket: TicketRow) {
  if (!ticket.assigneeId) return null;
  const [u] = await tx
    .select({ id: users.id, name: users.name, email: users.email, locale: users.locale })
    .from(users)
    .where(eq(users.id, ticket.assigneeId));
  return u ?? null;
}

async function recipients(tx: DbOrTx, ticket: TicketRow, to: string): Promise<string[]> {
  if (to === "assignee") return ticket.assigneeId ? [ticket.assigneeId] : [];
  if (to === "team") {
    if (!ticket.teamId) return [];
    const rows = await tx
      .select({ id: users.id })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(and(eq(teamMembers.teamId, ticket.teamId), eq(users.active, true)));
    return rows.map((r) => r.id);
  }
  if (to === "managers" || to === "admins") {
    const rows = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, to === "admins" ? "admin" : "manager"), eq(users.active, true)));
    return rows.map((r) => r.id);
  }
  const [u] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, to), eq(users.active, true)));
  return u ? [u.id] : [];
}

/**
 * Applies a rule's actions to one ticket inside the caller's unit of work. Field changes are
 * written with changeTicket and gathered in `item.changes` (the caller runs the steps that
 * follow); notes, emails, notifications and webhook calls are written or queued in the same
 * transaction. Returns whether the ticket changed.
 */
export async function applyActions(
  uow: Uow,
  item: ChangingTicket,
  actions: Action[],
  source: Source,
): Promise<boolean> {
  const { tx } = uow;
  let changed = false;
  const via = { via: source.kind, ruleId: source.id, rule: source.name };
  const patch = async (p: TicketPatch) => {
    const c = await changeTicket(uow, item, p, { actor: SYSTEM, via });
    if (Object.keys(c).length > 0) changed = true;
  };
  for (const a of actions) {
    const ticket = item.ticket;
    switch (a.type) {
      case "set_status":
        if (ticket.status !== "closed") await patch({ status: a.value });
        break;
      case "set_priority":
        await patch({ priority: a.value });
        break;
      case "set_language":
        await patch({ language: a.value });
        break;
      case "assign": {
        const p: TicketPatch = {};
        if (a.teamId !== undefined) p.teamId = a.teamId;
        if (a.assigneeId !== undefined) {
          const [u] = a.assigneeId
            ? await tx.select({ active: users.active }).from(users).where(eq(users.id, a.assigneeId))
            : [{ active: true }];
          if (!u?.active) break; // a deleted or deactivated agent: nothing to assign to
          p.assigneeId = a.assigneeId;
        }
        await patch(p);
        break;
      }
      case "add_tags":
        await patch({ tags: [...new Set([...ticket.tags, ...a.tags])] });
        break;
      case "remove_tags":
        await patch({ tags: ticket.tags.filter((t) => !a.tags.includes(t)) });
        break;
      case "add_note": {
        const agent = await assigneeOf(tx, ticket);
        const values = await placeholderValues(tx, ticket, agent, agent?.locale ?? "en");
        const note = await addTicketMessage(actingAs(uow, SYSTEM), ticket, {
          body: fillPlaceholders(a.body, values, "text"),
          internal: true,
          authorType: "system",
          channel: ticket.channel,
          metadata: { automation: via },
        });
        changed = true;
        // The note counts on the row; changes not written yet (creation) stay as they are.
        item.ticket = { ...note.ticket, ...(item.deferred ?? {}) };
        break;
      }
      case "send_email": {
        const agent = await assigneeOf(tx, ticket);
        let to: string | null = null;
        if (a.to === "assignee") to = agent?.email ?? null;
        else {
          const [e] = await tx
            .select({ email: contactEmails.email })
            .from(contactEmails)
            .where(eq(contactEmails.contactId, ticket.requesterId))
            .orderBy(desc(contactEmails.isPrimary), asc(contactEmails.createdAt))
            .limit(1);
          to = e?.email ?? null;
        }
        if (!to) break;
        const locale = a.to === "assignee" ? (agent?.locale ?? "en") : (ticket.language ?? "en");
        const values = await placeholderValues(tx, ticket, agent, locale);
        const mailbox = await mailboxForTicket(tx, ticket.id);
        await queueEmail(tx, {
          // An automatic message: sent with Auto-Submitted like acknowledgements.
          kind: "ack",
          mailbox,
          ticketId: a.to === "requester" ? ticket.id : null,
          messageId: null,
          id: crypto.randomUUID(),
          to: [to],
          cc: [],
          subject:
            a.to === "requester"
              ? ticketSubject(fillPlaceholders(a.subject, values, "text"), ticket.number)
              : fillPlaceholders(a.subject, values, "text"),
          inReplyTo: null,
          references: [],
          replyTo: mailbox && a.to === "requester" ? replyAddress(mailbox.address, ticket.number) : null,
          text: fillPlaceholders(a.body, values, "text"),
          html: renderHtml(a.body, values),
        });
        break;
      }
      case "notify": {
        const ids = await recipients(tx, ticket, a.to);
        if (ids.length === 0) break;
        const agent = await assigneeOf(tx, ticket);
        const values = await placeholderValues(tx, ticket, agent, "en");
        await notify(
          uow,
          ids.map((userId) => ({
            userId,
            kind: "automation.notify" as const,
            ticketId: ticket.id,
            link: `/tickets/${ticket.id}`,
            params: {
              text: fillPlaceholders(a.title, values, "text").slice(0, 300),
              number: ticket.number,
              subject: ticket.subject,
              ...via,
            },
          })),
        );
        break;
      }
      case "webhook": {
        const [w] = await tx
          .select({ id: webhooks.id, active: webhooks.active })
          .from(webhooks)
          .where(eq(webhooks.id, a.webhookId));
        if (!w?.active) break;
        await queueDelivery(tx, w.id, "trigger", { rule: via, ticket: ticketPayload(ticket) });
        break;
      }
    }
  }
  return changed;
}
