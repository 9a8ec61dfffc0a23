import type { Channel, DeliveryStatus, TicketStatus } from "@rapport/shared";
import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { writeLater } from "../../db/deferred.ts";
import { insertRows } from "../../db/prepared.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { badRequest, forbidden } from "../../lib/errors.ts";
import { htmlToText, sanitize, textToHtml } from "../../lib/html.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { scoreCustomerMessage } from "../tone/sentiment.service.ts";
import type { TReplyTone } from "../tone/tone.schema.ts";
import { users } from "../users/users.table.ts";
import { toAttachment } from "./attachments.service.ts";
import { type AddedMessage, addTicketMessage, messageValues } from "./pipeline.ts";
import type { TCreateMessage, TMessage, TTicketEvent } from "./tickets.schema.ts";
import {
  asStaff,
  loadVisibleTicket,
  statusStamps,
  type TicketRow,
  updateTicketRow,
} from "./tickets.service.ts";
import { attachments, messages, ticketEvents, tickets } from "./tickets.table.ts";
import { type Uow, withTransaction } from "./unit-of-work.ts";

export type NewMessage = {
  body?: string;
  html?: string;
  internal: boolean;
  attachmentIds?: string[];
  authorType: "agent" | "customer" | "system";
  authorUserId?: string | null;
  authorContactId?: string | null;
  channel: Channel;
  metadata?: Record<string, unknown>;
  /** False for a ticket's first message: the status the ticket was created with stands. */
  moveStatus?: boolean;
  /** An agent's reply: the language it was tone-checked in and the suggestions taken (modules/tone). */
  tone?: TReplyTone;
};

/** Both renderings of a body: sanitized HTML, and text for search and plain-text email. */
export function renderBody(input: { body?: string; html?: string }): { bodyText: string; bodyHtml: string } {
  if (input.html?.trim()) {
    const bodyHtml = sanitize(input.html);
    return { bodyText: input.body?.trim() ? input.body : htmlToText(bodyHtml), bodyHtml };
  }
  const text = input.body ?? "";
  return { bodyText: text, bodyHtml: textToHtml(text) };
}

/** `renderBody(input).bodyText` without sanitizing the HTML when the text is given (most messages). */
export function renderBodyText(input: { body?: string; html?: string }): string {
  if (input.html?.trim() && !input.body?.trim()) return renderBody(input).bodyText;
  return input.body ?? "";
}

/** The status a ticket moves to when a message arrives, if any. */
export function statusAfterMessage(status: TicketStatus, m: Pick<NewMessage, "authorType" | "internal">) {
  if (m.internal) return undefined;
  if (m.authorType === "customer" && ["pending", "on_hold", "solved"].includes(status))
    return "open" as const;
  if (m.authorType === "agent" && status === "new") return "open" as const;
  return undefined;
}

/** Links stored attachments to their message; refuses ids of another ticket or already sent. */
export async function linkAttachments(tx: DbOrTx, ticketId: string, messageId: string, ids: string[]) {
  const attachmentIds = [...new Set(ids)];
  if (attachmentIds.length === 0) return;
  const linked = await tx
    .update(attachments)
    .set({ messageId })
    .where(
      and(
        inArray(attachments.id, attachmentIds),
        eq(attachments.ticketId, ticketId),
        isNull(attachments.messageId),
      ),
    )
    .returning({ id: attachments.id });
  if (linked.length !== attachmentIds.length) {
    throw badRequest("Some attachments are unknown, belong to another ticket or are already sent", {
      field: "attachmentIds",
    });
  }
}

/**
 * Writes a message on a ticket (row level, no pipeline step): the message, its attachments,
 * the ticket's counters and status, and its timeline events. `ticket` is the locked row; the
 * pipeline's addTicketMessage runs the message steps after it.
 */
export async function insertMessageRow(uow: Uow, ticket: TicketRow, m: NewMessage): Promise<AddedMessage> {
  const { tx, ctx } = uow;
  const now = ctx.now();
  if (ticket.status === "closed" && !m.internal) {
    throw forbidden("This ticket is closed; open a follow-up ticket instead");
  }
  const values = messageValues(ticket.id, m);
  // A public customer message is scored before the insert: its sentiment and the ticket's
  // latest and worst go with the two statements below (the sentimentOnMessage step then only
  // reads them).
  const scored =
    m.authorType === "customer" && !m.internal
      ? scoreCustomerMessage(values.bodyText, ticket.language, ticket.worstSentiment)
      : null;
  const [row] = await insertRows(
    tx,
    messages,
    [
      {
        ...values,
        ...(scored ? { sentiment: scored.sentiment, sentimentScore: scored.score } : {}),
        createdAt: now,
      },
    ],
    { returning: true },
  );
  if (!row) throw new Error("insert returned nothing");
  await linkAttachments(tx, ticket.id, row.id, m.attachmentIds ?? []);
  const nextStatus = m.moveStatus === false ? undefined : statusAfterMessage(ticket.status, m);
  const isPublicAgentReply = m.authorType === "agent" && !m.internal;
  const [written] = await tx
    .update(tickets)
    .set({
      messageCount: sql`${tickets.messageCount} + 1`,
      lastMessageAt: now,
      updatedAt: now,
      ...(m.authorType === "customer" && !m.internal ? { lastCustomerMessageAt: now } : {}),
      ...(scored ? { sentiment: scored.sentiment, worstSentiment: scored.worst } : {}),
      ...(isPublicAgentReply && !ticket.firstResponseAt ? { firstResponseAt: now } : {}),
      ...(nextStatus ? { status: nextStatus, ...statusStamps(nextStatus, now, ticket) } : {}),
    })
    .where(eq(tickets.id, ticket.id))
    .returning();
  if (!written) throw new Error("ticket vanished");
  uow.record(ticket.id, m.internal ? "note.added" : "reply.added", {
    messageId: row.id,
    authorType: m.authorType,
  });
  if (nextStatus) uow.record(ticket.id, "status.changed", { from: ticket.status, to: nextStatus });
  return {
    before: ticket,
    written,
    ticket: written,
    message: row,
    input: m,
    changes: {},
    ...(nextStatus ? { statusChange: { from: ticket.status, to: nextStatus } } : {}),
  };
}

const authorSelect = {
  message: messages,
  userName: users.name,
  contactName: contacts.name,
};

async function hydrateMessages(
  db: DbOrTx,
  rows: Array<{ message: typeof messages.$inferSelect; userName: string | null; contactName: string | null }>,
  opts: { files?: boolean } = {},
): Promise<TMessage[]> {
  const ids = rows.map((r) => r.message.id);
  const files =
    ids.length && opts.files !== false
      ? await db
          .select()
          .from(attachments)
          .where(inArray(attachments.messageId, ids))
          .orderBy(asc(attachments.createdAt))
      : [];
  return rows.map(({ message: m, userName, contactName }) =>
    messageOut(
      m,
      (m.authorType === "agent" ? userName : contactName) ?? "",
      files.filter((f) => f.messageId === m.id),
    ),
  );
}

/** A message row in its API shape, with its author's name and its files. */
function messageOut(
  m: typeof messages.$inferSelect,
  authorName: string,
  files: Array<typeof attachments.$inferSelect>,
): TMessage {
  return {
    id: m.id,
    ticketId: m.ticketId,
    author: {
      type: m.authorType === "agent" ? "agent" : m.authorType === "customer" ? "customer" : "system",
      id: m.authorUserId ?? m.authorContactId,
      name: authorName,
    },
    internal: m.internal,
    channel: m.channel,
    delivery:
      m.deliveryStatus && m.deliveryUpdatedAt
        ? { status: m.deliveryStatus, error: m.deliveryError, updatedAt: m.deliveryUpdatedAt.toISOString() }
        : null,
    bodyText: m.bodyText,
    bodyHtml: m.bodyHtml,
    attachments: files.map(toAttachment),
    sentiment: m.sentiment,
    createdAt: m.createdAt.toISOString(),
  };
}

export async function addMessage(ctx: Ctx, ticketId: string, input: TCreateMessage): Promise<TMessage> {
  const actor = asStaff(ctx.actor);
  const written = await withTransaction(ctx, async (uow) => {
    const ticket = await loadVisibleTicket(uow.tx, actor, ticketId, { lock: true });
    const asCustomer = input.authorType === "customer";
    if (asCustomer && input.internal) throw badRequest("A customer message cannot be an internal note");
    const added = await addTicketMessage(uow, ticket, {
      body: input.body,
      html: input.html,
      internal: input.internal,
      attachmentIds: input.attachmentIds,
      authorType: asCustomer ? "customer" : "agent",
      authorUserId: asCustomer || actor.kind !== "agent" ? null : actor.userId,
      authorContactId: asCustomer ? ticket.requesterId : null,
      channel: ticket.channel,
      ...(input.tone && !asCustomer ? { tone: input.tone } : {}),
    });
    // "Send and solve": one transaction, so a refused status change (409 open promises)
    // leaves no message and no queued email behind.
    if (input.status)
      await updateTicketRow(uow, added.ticket, { status: input.status, confirm: input.confirm });
    return { ...added.message, ...pendingDelivery.get(uow.tx)?.get(added.message.id) };
  });
  // An agent's message without files is answered from the rows the unit wrote; a message with
  // files, or written in the customer's name, is read back with their names.
  if (
    actor.kind === "agent" &&
    written.authorType === "agent" &&
    written.authorUserId === actor.userId &&
    !input.attachmentIds?.length
  )
    return messageOut(written, actor.name, []);
  const message = await fetchMessage(ctx.db, written.id, { files: (input.attachmentIds?.length ?? 0) > 0 });
  if (!message) throw new Error("message vanished");
  return message;
}

/**
 * One message in its API shape (the caller checked that the reader may see its ticket);
 * `files: false` when the caller knows it has no attachments.
 */
export async function fetchMessage(
  db: DbOrTx,
  id: string,
  opts: { files?: boolean } = {},
): Promise<TMessage | null> {
  const [row] = await db
    .select(authorSelect)
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .leftJoin(contacts, eq(contacts.id, messages.authorContactId))
    .where(eq(messages.id, id));
  const [message] = await hydrateMessages(db, row ? [row] : [], opts);
  return message ?? null;
}

/**
 * A ticket's messages, newest page first (`limit`, default 50), each page in
 * chronological order; `nextCursor` fetches the page of older messages.
 */
export async function listMessages(
  ctx: Ctx,
  ticketId: string,
  q: { cursor?: string; limit: number },
): Promise<{ items: TMessage[]; nextCursor: string | null }> {
  const actor = asStaff(ctx.actor);
  await loadVisibleTicket(ctx.db, actor, ticketId);
  const conds = [eq(messages.ticketId, ticketId)];
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2) as [string, string];
    const before = or(
      lt(messages.createdAt, new Date(at)),
      and(eq(messages.createdAt, new Date(at)), lt(messages.id, id)),
    );
    if (before) conds.push(before);
  }
  const rows = await ctx.db
    .select(authorSelect)
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .leftJoin(contacts, eq(contacts.id, messages.authorContactId))
    .where(and(...conds))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const oldest = page.at(-1);
  return {
    items: await hydrateMessages(ctx.db, page.reverse()),
    nextCursor:
      rows.length > q.limit && oldest
        ? encodeCursor([oldest.message.createdAt.toISOString(), oldest.message.id])
        : null,
  };
}

export async function listEvents(ctx: Ctx, ticketId: string): Promise<TTicketEvent[]> {
  const actor = asStaff(ctx.actor);
  await loadVisibleTicket(ctx.db, actor, ticketId);
  const rows = await ctx.db
    .select({ event: ticketEvents, userName: users.name })
    .from(ticketEvents)
    .leftJoin(users, and(eq(ticketEvents.actorType, "agent"), eq(users.id, ticketEvents.actorId)))
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.id))
    .limit(1000);
  return rows.map(({ event: e, userName }) => ({
    id: e.id,
    type: e.type,
    actor: { type: e.actorType, id: e.actorId, name: userName },
    data: e.data as Record<string, unknown>,
    createdAt: e.createdAt.toISOString(),
  }));
}

type DeliveryFields = Pick<
  typeof messages.$inferSelect,
  "deliveryStatus" | "deliveryError" | "deliveryUpdatedAt"
>;
/** Delivery states written through a transaction, by message id (for addMessage's answer). */
const pendingDelivery = new WeakMap<DbOrTx, Map<string, DeliveryFields>>();

/**
 * Records where delivery of an outgoing message stands on its channel (the email sender,
 * the webhook channel and the chat call this); the thread shows it under the message.
 */
export async function setMessageDelivery(
  db: DbOrTx,
  messageId: string,
  status: DeliveryStatus,
  error: string | null = null,
  at: Date = new Date(),
) {
  // Inside a unit of work (a reply queued for sending), with the unit's last statement; the
  // unit's answer (addMessage) shows it without reading the row back.
  const byMessage = pendingDelivery.get(db) ?? new Map<string, DeliveryFields>();
  pendingDelivery.set(db, byMessage);
  byMessage.set(messageId, { deliveryStatus: status, deliveryError: error, deliveryUpdatedAt: at });
  await writeLater(
    db,
    db
      .update(messages)
      .set({ deliveryStatus: status, deliveryError: error, deliveryUpdatedAt: at })
      .where(eq(messages.id, messageId))
      .getSQL(),
  );
}
