import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { SYSTEM } from "../../auth/actor.ts";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { writeLater } from "../../db/deferred.ts";
import { notFound } from "../../lib/errors.ts";
import type { ParsedEmail } from "../email/email.parse.ts";
import type { inboundEmails } from "../email/email.table.ts";
import { outboundEmails } from "../email/email.table.ts";
import type { Outcome } from "../email/inbound.service.ts";
import { mailboxForTicket, newMessageIdHeader, queue } from "../email/outbound.service.ts";
import { renderBody } from "../tickets/messages.service.ts";
import { loadVisibleTicket, type TicketRow } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { type Uow, withTransaction } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import type { TSideConversation, TStartSideConversation } from "./sideconv.schema.ts";
import { sideConversations, sideMessages } from "./sideconv.table.ts";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** The reply-to token of a side conversation in an address (`support+s<token>@acme.test`). */
export function sideToken(address: string): string | null {
  const m = /^[^+@]+\+s([a-z0-9]{24})@/i.exec(address.trim());
  return m?.[1]?.toLowerCase() ?? null;
}
const replyToFor = (mailboxAddress: string, token: string) => {
  const [local, domain] = mailboxAddress.split("@");
  return `${local}+s${token}@${domain}`;
};

type SideRow = typeof sideConversations.$inferSelect;

/** The ticket changed for the agents looking at it (their page reloads its side conversations). */
function announce(uow: Uow, t: TicketRow) {
  uow.publish({
    type: "ticket.updated",
    ticketId: t.id,
    teamId: t.teamId,
    assigneeId: t.assigneeId,
    status: t.status,
    changes: { sideConversations: { from: null, to: null } },
  });
}

/**
 * Queues one agent message of a side conversation through the outbound email path (its own
 * Message-ID, In-Reply-To and References from the side thread only, reply-to with the token).
 */
async function send(uow: Uow, ticket: TicketRow, side: SideRow, token: string, body: string) {
  const actor = requireAgent(uow.ctx.actor);
  const { tx } = uow;
  const mailbox = await mailboxForTicket(tx, ticket.id);
  const earlier = await tx
    .select({ header: sideMessages.messageIdHeader, direction: sideMessages.direction })
    .from(sideMessages)
    .where(eq(sideMessages.sideConversationId, side.id))
    .orderBy(asc(sideMessages.createdAt))
    .limit(200);
  const headers = earlier.flatMap((m) => (m.header ? [m.header] : []));
  const lastIn = earlier.filter((m) => m.direction === "in").at(-1)?.header ?? headers.at(-1) ?? null;
  const { bodyText, bodyHtml } = renderBody({ body });
  const outboundId = randomUUID();
  const address = mailbox?.address ?? "rapport@localhost";
  await queue(tx, {
    kind: "side",
    mailbox,
    // Not the ticket's: the side thread's keys never thread into the customer's conversation.
    ticketId: null,
    messageId: null,
    id: outboundId,
    to: side.participants,
    cc: [],
    subject: headers.length ? `Re: ${side.subject}` : side.subject,
    inReplyTo: lastIn,
    references: headers.length > 20 ? [...headers.slice(0, 1), ...headers.slice(-19)] : headers,
    replyTo: mailbox ? replyToFor(mailbox.address, token) : null,
    text: bodyText,
    html: bodyHtml,
  });
  // With the unit's last statement, like the outbound row it references (db/deferred.ts).
  const row = tx.insert(sideMessages).values({
    sideConversationId: side.id,
    direction: "out",
    authorUserId: actor.userId,
    fromAddress: mailbox?.address ?? null,
    to: side.participants,
    bodyText,
    bodyHtml,
    messageIdHeader: newMessageIdHeader(outboundId, address),
    outboundEmailId: outboundId,
    createdAt: uow.ctx.now(),
  });
  await writeLater(tx, row.getSQL());
}

/**
 * Starts a side conversation from a ticket: an email to third parties, sent through the
 * outbound email path. The customer never sees it (not a ticket message, not in the portal).
 */
export async function startSideConversation(ctx: Ctx, ticketId: string, input: TStartSideConversation) {
  const actor = requireAgent(ctx.actor);
  const id = await withTransaction(ctx, async (uow) => {
    const ticket = await loadVisibleTicket(uow.tx, actor, ticketId, { lock: true });
    requireCan(actor, "ticket.update", ticket);
    // The token only ever lives in the reply-to address; the database keeps its hash.
    const token = randomBytes(15).toString("hex").slice(0, 24);
    const [side] = await uow.tx
      .insert(sideConversations)
      .values({
        ticketId: ticket.id,
        subject: input.subject,
        participants: [...new Set(input.to)],
        tokenHashes: [hashToken(token)],
        createdById: actor.userId,
        createdAt: uow.ctx.now(),
        updatedAt: uow.ctx.now(),
      })
      .returning();
    if (!side) throw new Error("insert returned nothing");
    await send(uow, ticket, side, token, input.body);
    uow.record(ticket.id, "side_conversation.started", {
      sideConversationId: side.id,
      subject: side.subject,
      to: side.participants,
    });
    announce(uow, ticket);
    return side.id;
  });
  return getSideConversation(ctx, ticketId, id);
}

async function loadSide(uow: Uow, ticketId: string, sideId: string) {
  const actor = requireAgent(uow.ctx.actor);
  const ticket = await loadVisibleTicket(uow.tx, actor, ticketId, { lock: true });
  const [side] = await uow.tx
    .select()
    .from(sideConversations)
    .where(and(eq(sideConversations.id, sideId), eq(sideConversations.ticketId, ticket.id)));
  if (!side) throw notFound("Side conversation");
  return { actor, ticket, side };
}

/** An agent writes again in a side conversation (it reopens a closed one). */
export async function replySideConversation(ctx: Ctx, ticketId: string, sideId: string, body: string) {
  await withTransaction(ctx, async (uow) => {
    const { actor, ticket, side } = await loadSide(uow, ticketId, sideId);
    requireCan(actor, "ticket.update", ticket);
    // A new token for this message: replies to it thread back here; older tokens keep working.
    const token = randomBytes(15).toString("hex").slice(0, 24);
    await uow.tx
      .update(sideConversations)
      .set({
        status: "open",
        updatedAt: uow.ctx.now(),
        tokenHashes: sql`array_append(${sideConversations.tokenHashes}, ${hashToken(token)})`,
      })
      .where(eq(sideConversations.id, side.id));
    await send(uow, ticket, side, token, body);
    uow.record(ticket.id, "side_conversation.replied", {
      sideConversationId: side.id,
      subject: side.subject,
    });
    announce(uow, ticket);
  });
  return getSideConversation(ctx, ticketId, sideId);
}

/** Closes or reopens a side conversation. */
export async function setSideStatus(ctx: Ctx, ticketId: string, sideId: string, status: "open" | "closed") {
  await withTransaction(ctx, async (uow) => {
    const { ticket, side } = await loadSide(uow, ticketId, sideId);
    if (side.status === status) return;
    await uow.tx
      .update(sideConversations)
      .set({ status, updatedAt: uow.ctx.now() })
      .where(eq(sideConversations.id, side.id));
    uow.record(ticket.id, `side_conversation.${status === "closed" ? "closed" : "reopened"}`, {
      sideConversationId: side.id,
      subject: side.subject,
    });
    announce(uow, ticket);
  });
  return getSideConversation(ctx, ticketId, sideId);
}

const author = alias(users, "side_author");
const creator = alias(users, "side_creator");

/** A ticket's side conversations with their messages (agents who may see the ticket only). */
export async function listSideConversations(
  ctx: Ctx,
  ticketId: string,
  only?: string,
): Promise<TSideConversation[]> {
  const actor = requireAgent(ctx.actor);
  await loadVisibleTicket(ctx.db, actor, ticketId);
  const sides = await ctx.db
    .select({ side: sideConversations, creatorName: creator.name })
    .from(sideConversations)
    .leftJoin(creator, eq(creator.id, sideConversations.createdById))
    .where(and(eq(sideConversations.ticketId, ticketId), only ? eq(sideConversations.id, only) : undefined))
    .orderBy(asc(sideConversations.createdAt))
    .limit(100);
  if (sides.length === 0) return [];
  const rows = await ctx.db
    .select({ m: sideMessages, authorName: author.name, delivery: outboundEmails.status })
    .from(sideMessages)
    .leftJoin(author, eq(author.id, sideMessages.authorUserId))
    .leftJoin(outboundEmails, eq(outboundEmails.id, sideMessages.outboundEmailId))
    .where(
      inArray(
        sideMessages.sideConversationId,
        sides.map((s) => s.side.id),
      ),
    )
    .orderBy(asc(sideMessages.createdAt), asc(sideMessages.id))
    .limit(2000);
  return sides.map(({ side, creatorName }) => ({
    id: side.id,
    ticketId: side.ticketId,
    subject: side.subject,
    participants: side.participants,
    status: side.status,
    createdBy: side.createdById ? { id: side.createdById, name: creatorName ?? "" } : null,
    createdAt: side.createdAt.toISOString(),
    updatedAt: side.updatedAt.toISOString(),
    messages: rows
      .filter((r) => r.m.sideConversationId === side.id)
      .map(({ m, authorName, delivery }) => ({
        id: m.id,
        direction: m.direction,
        author: {
          id: m.authorUserId,
          name: m.direction === "out" ? (authorName ?? "") : (m.fromAddress ?? ""),
        },
        to: m.to,
        bodyText: m.bodyText,
        bodyHtml: m.bodyHtml,
        delivery: m.direction === "out" ? (delivery ?? null) : null,
        createdAt: m.createdAt.toISOString(),
      })),
  }));
}

export async function getSideConversation(ctx: Ctx, ticketId: string, sideId: string) {
  const [side] = await listSideConversations(ctx, ticketId, sideId);
  if (!side) throw notFound("Side conversation");
  return side;
}

/**
 * Inbound email step (called by the email ingester before it threads into tickets): a reply
 * to a side conversation, found by the reply-to token or by In-Reply-To / References, is
 * stored in that side conversation, never in the customer's thread. Null: not a side reply.
 */
export async function ingestSideReply(
  uow: Uow,
  stored: typeof inboundEmails.$inferSelect,
  p: ParsedEmail,
  from: string,
): Promise<Outcome | null> {
  const { tx } = uow;
  const recipients = [...stored.envelopeTo, ...p.to.map((a) => a.address), ...p.cc.map((a) => a.address)];
  const hashes = recipients.map(sideToken).flatMap((t) => (t ? [hashToken(t)] : []));
  const keys = [...p.inReplyTo, ...p.references];
  if (hashes.length === 0 && keys.length === 0) return null;
  const side = await findSide(tx, hashes, keys);
  if (!side) return null;
  if (p.messageId) {
    const [dup] = await tx
      .select({ id: sideMessages.id })
      .from(sideMessages)
      .where(
        and(eq(sideMessages.sideConversationId, side.id), eq(sideMessages.messageIdHeader, p.messageId)),
      );
    if (dup)
      return {
        status: "duplicate",
        error: `Message-ID ${p.messageId} was already received`,
        ticketId: side.ticketId,
      };
  }
  const { bodyText, bodyHtml } = renderBody({ body: p.newText || p.text, html: p.newHtml || p.html });
  await tx.insert(sideMessages).values({
    sideConversationId: side.id,
    direction: "in",
    fromAddress: from,
    to: p.to.map((a) => a.address),
    bodyText,
    bodyHtml,
    messageIdHeader: p.messageId,
    createdAt: uow.ctx.now(),
  });
  await tx
    .update(sideConversations)
    .set({ status: "open", updatedAt: uow.ctx.now() })
    .where(eq(sideConversations.id, side.id));
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, side.ticketId));
  if (ticket) {
    uow.record(ticket.id, "side_conversation.received", { sideConversationId: side.id, from }, SYSTEM);
    announce(uow, ticket);
  }
  return { status: "processed", ticketId: side.ticketId };
}

/** The side conversation a token or a referenced Message-ID belongs to. */
async function findSide(tx: DbOrTx, hashes: string[], keys: string[]) {
  const byToken = hashes.length
    ? sql`${sideConversations.tokenHashes} && array[${sql.join(
        hashes.map((h) => sql`${h}`),
        sql`, `,
      )}]::text[]`
    : undefined;
  const byKey = keys.length
    ? inArray(
        sideConversations.id,
        tx
          .select({ id: sideMessages.sideConversationId })
          .from(sideMessages)
          .where(inArray(sideMessages.messageIdHeader, keys)),
      )
    : undefined;
  const [side] = await tx
    .select()
    .from(sideConversations)
    .where(or(byToken, byKey))
    .orderBy(asc(sideConversations.createdAt))
    .limit(1);
  return side;
}

/** Whether an email may belong to a side conversation (the batch ingester leaves those to `ingest`). */
export async function sideReplyKeys(tx: DbOrTx, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx
    .select({ key: sideMessages.messageIdHeader })
    .from(sideMessages)
    .where(inArray(sideMessages.messageIdHeader, keys));
  return new Set(rows.flatMap((r) => (r.key ? [r.key] : [])));
}
