import { and, eq, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.ts";
import {
  emailMessages,
  emailThreadKeys,
  inboundEmails,
  outboundEmails,
  ticketFollowers,
} from "../email/email.table.ts";
import { callbacks, calls } from "../phone/phone.table.ts";
import { promises } from "../promises/promises.table.ts";
import { attachments, messages, ticketEvents, tickets } from "../tickets/tickets.table.ts";

/**
 * Row moves shared by merge and split: what belongs to a conversation follows it to another
 * ticket. These touch the rows around a ticket (messages, their files and email records),
 * never the ticket rows themselves, which change through the pipeline.
 */

/** Moves every message but `keep` of `from` to `to`, with the email records that thread them. */
export async function moveConversation(
  tx: DbOrTx,
  from: string,
  to: string,
  opts: { keepMessageId?: string; eventsUpTo: number | null },
) {
  const notKept = (col: typeof messages.id | typeof outboundEmails.messageId) =>
    opts.keepMessageId ? (sql`${col} is distinct from ${opts.keepMessageId}` as SQL) : sql`true`;
  const moved = await tx
    .update(messages)
    .set({ ticketId: to })
    .where(and(eq(messages.ticketId, from), notKept(messages.id)))
    .returning({ id: messages.id });
  await tx.update(attachments).set({ ticketId: to }).where(eq(attachments.ticketId, from));
  await tx.update(emailMessages).set({ ticketId: to }).where(eq(emailMessages.ticketId, from));
  // Every key, the notice's too: a customer answering the old thread lands on the target.
  await tx.update(emailThreadKeys).set({ ticketId: to }).where(eq(emailThreadKeys.ticketId, from));
  await tx.update(inboundEmails).set({ ticketId: to }).where(eq(inboundEmails.ticketId, from));
  await tx
    .update(outboundEmails)
    .set({ ticketId: to })
    .where(and(eq(outboundEmails.ticketId, from), notKept(outboundEmails.messageId)));
  if (opts.eventsUpTo !== null)
    await tx
      .update(ticketEvents)
      .set({ ticketId: to })
      .where(and(eq(ticketEvents.ticketId, from), lte(ticketEvents.id, opts.eventsUpTo)));
  return moved.length;
}

/** Followers, promises, call-backs and calls of `from` now belong to `to`. */
export async function moveRelated(tx: DbOrTx, from: string, to: string) {
  await tx.execute(sql`insert into ticket_followers (ticket_id, contact_id, email, created_at)
    select ${to}, contact_id, email, created_at from ticket_followers where ticket_id = ${from}
    on conflict do nothing`);
  await tx.delete(ticketFollowers).where(eq(ticketFollowers.ticketId, from));
  await tx.update(promises).set({ ticketId: to }).where(eq(promises.ticketId, from));
  await tx.update(callbacks).set({ ticketId: to }).where(eq(callbacks.ticketId, from));
  await tx.update(calls).set({ ticketId: to }).where(eq(calls.ticketId, from));
}

/** One message (and its files, email record and thread keys) moves to another ticket. */
export async function moveMessage(tx: DbOrTx, messageId: string, to: string) {
  await tx.update(messages).set({ ticketId: to }).where(eq(messages.id, messageId));
  await tx.update(attachments).set({ ticketId: to }).where(eq(attachments.messageId, messageId));
  await tx.update(emailMessages).set({ ticketId: to }).where(eq(emailMessages.messageId, messageId));
  await tx.update(emailThreadKeys).set({ ticketId: to }).where(eq(emailThreadKeys.messageId, messageId));
  await tx.update(outboundEmails).set({ ticketId: to }).where(eq(outboundEmails.messageId, messageId));
}

/** The newest timeline event of a ticket written so far (null: none). */
export async function lastEventId(tx: DbOrTx, ticketId: string): Promise<number | null> {
  const [row] = await tx
    .select({ id: sql<number | null>`max(${ticketEvents.id})` })
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, ticketId));
  return row?.id === null || row?.id === undefined ? null : Number(row.id);
}

/**
 * The message counters of tickets whose messages moved, recounted from their messages (the
 * denormalized columns the inbox sorts and the unread marker read).
 */
export async function recountMessages(tx: DbOrTx, ids: string[], now: Date) {
  if (ids.length === 0) return;
  await tx
    .update(tickets)
    .set({
      messageCount: sql`(select count(*)::int from messages m where m.ticket_id = ${tickets.id})`,
      lastMessageAt: sql`(select max(m.created_at) from messages m where m.ticket_id = ${tickets.id})`,
      lastCustomerMessageAt: sql`(select max(m.created_at) from messages m where m.ticket_id = ${tickets.id}
        and m.author_type = 'customer' and not m.internal)`,
      updatedAt: now,
    })
    .where(inArray(tickets.id, ids));
}
