import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { and, desc, eq, getTableColumns, inArray, lt, or, sql } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx, Services } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { isDatabaseUnavailable } from "../../db/errors.ts";
import { enqueue, enqueueMany } from "../../jobs/queue.ts";
import { PermanentJobError } from "../../jobs/worker.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { AppError, badRequest, notFound } from "../../lib/errors.ts";
import { resolveRequester } from "../contacts/contacts.service.ts";
import { ingestSideReply } from "../sideconv/sideconv.service.ts";
import { storeAttachment } from "../tickets/attachments.service.ts";
import { setMessageDelivery } from "../tickets/messages.service.ts";
import { addTicketMessage, createTickets, type MessageRow } from "../tickets/pipeline.ts";
import type { TicketRow } from "../tickets/tickets.service.ts";
import { messages, tickets } from "../tickets/tickets.table.ts";
import { type Uow, withTransaction } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import {
  blockRemoteImages,
  cleanSubject,
  type ParsedEmail,
  parseEmail,
  plusAddress,
  subjectTicketNumber,
} from "./email.parse.ts";
import type { TInbound } from "./email.schema.ts";
import {
  emailMessages,
  emailThreadKeys,
  inboundEmails,
  type mailboxes,
  outboundEmails,
  ticketFollowers,
} from "./email.table.ts";
import { activeMailboxes } from "./mailboxes.service.ts";
import { queueAcknowledgement } from "./outbound.service.ts";

export const INBOUND_JOB = "email.inbound";
/** At most this many Cc'd customers become followers of one ticket. */
const MAX_FOLLOWERS = 50;

export type ReceivedEmail = {
  mailboxId: string | null;
  source: "smtp" | "imap";
  raw: Buffer;
  envelopeFrom?: string | null;
  envelopeTo?: string[];
  /** IMAP: mailbox + UIDVALIDITY + UID, so a re-fetch stores nothing new. */
  dedupeKey?: string;
};

/** Header fields read without a full parse, for the admin list. */
function peekHeaders(raw: Buffer) {
  const end = raw.indexOf("\r\n\r\n");
  const head = raw
    .subarray(0, end === -1 ? Math.min(raw.length, 65536) : Math.min(end, 65536))
    .toString("utf8");
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const get = (name: string) =>
    new RegExp(`^${name}:[ \\t]*(.*)$`, "im")
      .exec(unfolded)?.[1]
      ?.replace(/[\u0000-\u001f\u007f]+/g, " ")
      .trim()
      .slice(0, 500) ?? null;
  return { messageId: get("Message-ID"), subject: get("Subject"), from: get("From") };
}

/**
 * Stores a received email durably, raw, with its processing job, in one transaction:
 * once this resolves the message cannot be lost. Returns null for an IMAP re-fetch.
 */
export async function storeInbound(services: Services, e: ReceivedEmail): Promise<string | null> {
  return (await storeInboundBatch(services, [e]))[0] ?? null;
}

/**
 * storeInbound for several emails in one transaction (the SMTP receiver's group commit):
 * one insert of the raw rows, one of their jobs, one commit. Ids in input order, null for
 * an IMAP re-fetch.
 */
export async function storeInboundBatch(
  services: Services,
  list: ReceivedEmail[],
): Promise<Array<string | null>> {
  if (list.length === 0) return [];
  const rows = list.map((e) => {
    const peek = peekHeaders(e.raw);
    return {
      id: randomUUID(),
      mailboxId: e.mailboxId,
      source: e.source,
      raw: e.raw,
      size: e.raw.length,
      envelopeFrom: e.envelopeFrom ?? null,
      envelopeTo: (e.envelopeTo ?? []).slice(0, 100),
      messageIdHeader: peek.messageId,
      subject: peek.subject,
      fromAddress: peek.from,
      dedupeKey: e.dedupeKey ?? null,
      receivedAt: services.now(),
    };
  });
  return services.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(inboundEmails)
      .values(rows)
      .onConflictDoNothing()
      .returning({ id: inboundEmails.id });
    const ids = new Set(inserted.map((r) => r.id));
    await enqueueMany(
      tx,
      INBOUND_JOB,
      rows
        .filter((r) => ids.has(r.id))
        .map((r) => ({ payload: { inboundId: r.id }, dedupeKey: r.id, maxAttempts: 5 })),
    );
    return rows.map((r) => (ids.has(r.id) ? r.id : null));
  });
}

export type StoredInbound = typeof inboundEmails.$inferSelect;
export type MailboxRow = typeof mailboxes.$inferSelect;
export type Outcome = {
  status: "processed" | "duplicate" | "ignored" | "bounce";
  error?: string;
  ticketId?: string;
  messageId?: string;
};

/** The job handler: parses and processes one stored email, exactly once. */
export async function processInbound(ctx: Ctx, inboundId: string): Promise<void> {
  const [stored] = await ctx.db.select().from(inboundEmails).where(eq(inboundEmails.id, inboundId));
  if (stored?.status !== "received") return;
  let parsed: ParsedEmail;
  try {
    parsed = await parseEmail(stored.raw);
  } catch (e) {
    await markFailed(ctx.db, inboundId, `parse failed: ${(e as Error).message}`);
    return;
  }
  try {
    // The raw email is already durable (stored with a synchronous commit before the 250),
    // so this commit need not wait for its WAL flush (syncCommit: false): if the server dies
    // before the flush, the whole transaction is gone, the row is still `received` and the
    // job runs again. Anything that depends on it (the acknowledgement's send job, an agent's
    // reply) commits synchronously later, which flushes this transaction's WAL first.
    await withTransaction(
      ctx,
      async (uow) => {
        const { tx } = uow;
        // Lock the row; the raw source (up to SMTP_MAX_BYTES) was read once already, not again.
        const [lockedRow] = await tx
          .select({ status: inboundEmails.status })
          .from(inboundEmails)
          .where(eq(inboundEmails.id, inboundId))
          .for("update");
        if (lockedRow?.status !== "received") return;
        const outcome = await ingest(uow, stored, parsed);
        await tx
          .update(inboundEmails)
          .set({
            status: outcome.status,
            error: outcome.error ?? null,
            ticketId: outcome.ticketId ?? null,
            messageId: outcome.messageId ?? null,
            processedAt: ctx.now(),
            attempts: sql`${inboundEmails.attempts} + 1`,
          })
          .where(eq(inboundEmails.id, inboundId));
      },
      { actor: SYSTEM, syncCommit: false },
    );
  } catch (e) {
    // The database went away mid-transaction (restart, failover): nothing was written and the
    // email is not at fault. The job is queued again as it is, never marked failed.
    if (isDatabaseUnavailable(e)) throw e;
    const message = e instanceof AppError ? `${e.code}: ${e.message}` : (e as Error).message;
    await markFailed(ctx.db, inboundId, message);
    throw new PermanentJobError(message);
  }
}

export async function markFailed(db: DbOrTx, id: string, error: string) {
  await db
    .update(inboundEmails)
    .set({
      status: "failed",
      // The error may quote the email's own text (query parameters): no NUL, which text cannot hold.
      error: error.replace(/\u0000/g, "\\0").slice(0, 4000),
      attempts: sql`${inboundEmails.attempts} + 1`,
    })
    .where(eq(inboundEmails.id, id));
}

export function findMailbox(all: MailboxRow[], stored: typeof inboundEmails.$inferSelect, p: ParsedEmail) {
  if (stored.mailboxId) {
    const byId = all.find((m) => m.id === stored.mailboxId);
    if (byId) return byId;
  }
  const candidates = [...stored.envelopeTo, ...p.to.map((a) => a.address), ...p.cc.map((a) => a.address)];
  for (const c of candidates) {
    const base = plusAddress(c).base;
    const m = all.find((x) => x.address.toLowerCase() === base);
    if (m) return m;
  }
  return all[0] ?? null;
}

async function ticketByNumber(tx: DbOrTx, n: number | null): Promise<TicketRow | undefined> {
  if (n == null || !Number.isSafeInteger(n)) return undefined;
  const [t] = await tx.select().from(tickets).where(eq(tickets.number, n));
  return t;
}

/** Whether this address may add to a ticket found only by a guessable token: its requester, a follower, or staff. */
async function isParticipant(tx: DbOrTx, t: TicketRow, contactId: string | null, isAgent: boolean) {
  if (isAgent) return true;
  if (!contactId) return false;
  if (t.requesterId === contactId) return true;
  const [f] = await tx
    .select({ c: ticketFollowers.contactId })
    .from(ticketFollowers)
    .where(and(eq(ticketFollowers.ticketId, t.id), eq(ticketFollowers.contactId, contactId)));
  return !!f;
}

/** Threading: Message-IDs seen or sent, Outlook's Thread-Index, then the [#n] token and the +t<n> address. */
async function findThread(
  tx: DbOrTx,
  p: ParsedEmail,
  recipients: string[],
  senderContactId: string | null,
  isAgent: boolean,
): Promise<TicketRow | undefined> {
  const keys = [...p.inReplyTo, ...[...p.references].reverse()];
  if (p.threadIndexRoot) keys.push(p.threadIndexRoot);
  if (keys.length) {
    const rows = await tx
      .select({ key: emailThreadKeys.key, ticketId: emailThreadKeys.ticketId })
      .from(emailThreadKeys)
      .where(inArray(emailThreadKeys.key, keys));
    for (const k of keys) {
      const hit = rows.find((r) => r.key === k);
      if (hit) {
        const [t] = await tx.select().from(tickets).where(eq(tickets.id, hit.ticketId));
        if (t) return t;
      }
    }
  }
  const numbers = [subjectTicketNumber(p.subject), ...recipients.map((r) => plusAddress(r).ticketNumber)];
  for (const n of numbers) {
    const t = await ticketByNumber(tx, n);
    if (t && (await isParticipant(tx, t, senderContactId, isAgent))) return t;
  }
  return undefined;
}

/** Everything one email does, inside the processing transaction. */
export async function ingest(
  uow: Uow,
  stored: typeof inboundEmails.$inferSelect,
  p: ParsedEmail,
): Promise<Outcome> {
  const { tx, ctx } = uow;
  const all = await activeMailboxes(tx);
  const own = new Set(all.map((m) => m.address.toLowerCase()));
  const mailbox = findMailbox(all, stored, p);
  const fromAddr = p.from?.address ?? stored.envelopeFrom?.toLowerCase() ?? null;

  if (p.bounce && (p.bounce.originalMessageIds.length || p.fromDaemon)) {
    const ids = p.bounce.originalMessageIds;
    const hit = ids.length
      ? await tx
          .update(outboundEmails)
          .set({
            status: p.bounce.permanent ? "bounced" : "queued",
            lastError: p.bounce.reason,
            updatedAt: ctx.now(),
          })
          .where(inArray(outboundEmails.messageIdHeader, ids))
          .returning({
            id: outboundEmails.id,
            ticketId: outboundEmails.ticketId,
            messageId: outboundEmails.messageId,
          })
      : [];
    if (p.bounce.permanent)
      for (const h of hit)
        if (h.messageId) await setMessageDelivery(tx, h.messageId, "failed", p.bounce.reason, ctx.now());
    if (hit.length)
      return { status: "bounce", error: p.bounce.reason, ticketId: hit[0]?.ticketId ?? undefined };
    if (p.fromDaemon)
      return { status: "ignored", error: "delivery report for a message Rapport did not send" };
  }
  if (!fromAddr) return { status: "ignored", error: "no sender address" };
  const from: string = fromAddr;
  if (own.has(plusAddress(fromAddr).base)) return { status: "ignored", error: "sent from a Rapport mailbox" };
  // A third party answering a side conversation: stored there, never in the customer's thread.
  const side = await ingestSideReply(uow, stored, p, from);
  if (side) return side;
  if (p.messageId) {
    const hash = contentHash(p, from);
    const found = await tx
      .select({
        key: emailThreadKeys.key,
        ticketId: emailThreadKeys.ticketId,
        messageId: emailThreadKeys.messageId,
        contentHash: sql<string | null>`${messages.metadata}->'email'->>'contentHash'`,
      })
      .from(emailThreadKeys)
      .leftJoin(messages, eq(messages.id, emailThreadKeys.messageId))
      .where(inArray(emailThreadKeys.key, [p.messageId, contentKey(p.messageId, hash)]));
    // A Message-ID seen before is a duplicate when the content is the same too (or unknown: mail
    // stored before content hashes, or one Rapport sent). A different message that reuses an id
    // (a broken mailer, a forwarded template) is kept as the new message it is.
    const seen =
      found.find((f) => f.key !== p.messageId) ??
      found.find((f) => f.key === p.messageId && (!f.contentHash || f.contentHash === hash));
    if (seen)
      return {
        status: "duplicate",
        error: `Message-ID ${p.messageId} was already received`,
        ticketId: seen.ticketId,
        messageId: seen.messageId ?? undefined,
      };
  }

  const [agent] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${fromAddr}`, eq(users.active, true)));
  const recipients = [...stored.envelopeTo, ...p.to.map((a) => a.address), ...p.cc.map((a) => a.address)];
  const sender = agent
    ? null
    : await resolveRequester(tx, { email: fromAddr, name: p.from?.name || undefined });
  let ticket = await findThread(tx, p, recipients, sender?.id ?? null, !!agent);
  let files: Awaited<ReturnType<typeof storeAttachments>> = {
    ids: [],
    cidMap: new Map(),
    withheld: [],
    html: "",
  };
  let followUpOf: TicketRow | undefined;
  if (ticket?.status === "closed") {
    followUpOf = ticket;
    ticket = undefined;
  }
  if (!ticket) {
    const requester =
      sender ?? (await resolveRequester(tx, { email: fromAddr, name: p.from?.name || undefined }));
    const [created] = await createTickets(uow, [
      {
        input: {
          subject: cleanSubject(p.subject) || "(no subject)",
          requester: { id: requester.id },
          channel: "email",
          priority: mailbox?.defaultPriority ?? "normal",
          teamId: mailbox?.teamId ?? null,
          tags: [],
        },
        requester,
        message: {
          body: p.newText,
          prepare: async (ticketId) => {
            files = await storeAttachments(ctx, ticketId, p);
            const blocked = blockRemoteImages(files.html);
            return {
              attachmentIds: files.ids,
              html: blocked.html,
              metadata: messageMetadata(stored, p, fromAddr, files.html, blocked.count),
            };
          },
        },
      },
    ]);
    if (!created?.message) throw new Error("ticket vanished");
    if (followUpOf) {
      uow.record(
        created.ticket.id,
        "ticket.follow_up_of",
        { ticketId: followUpOf.id, number: followUpOf.number },
        SYSTEM,
      );
      uow.record(
        followUpOf.id,
        "ticket.follow_up_created",
        { ticketId: created.ticket.id, number: created.ticket.number },
        SYSTEM,
      );
    }
    return finish(created.ticket, created.message, true);
  }
  files = await storeAttachments(ctx, ticket.id, p);
  const blocked = blockRemoteImages(files.html);
  const added = await addTicketMessage(uow, ticket, {
    body: p.newText,
    html: blocked.html,
    internal: false,
    attachmentIds: files.ids,
    authorType: agent ? "agent" : "customer",
    authorUserId: agent?.id ?? null,
    authorContactId: sender?.id ?? null,
    channel: "email",
    metadata: messageMetadata(stored, p, fromAddr, files.html, blocked.count),
  });
  return finish(ticket, added.message, false);

  async function finish(ticket: TicketRow, message: MessageRow, isNew: boolean): Promise<Outcome> {
    const stamp = { stored, p, fromAddr: from, ticketId: ticket.id, messageId: message.id };
    await tx.insert(emailMessages).values(emailRecord(stamp, files));
    const keys = threadKeyRows(stamp);
    if (keys.length) await tx.insert(emailThreadKeys).values(keys).onConflictDoNothing();

    if (!agent) await addFollowers(tx, ticket, p, own, sender?.id ?? null);
    if (isNew && mailbox?.ackEnabled && !p.autoSubmitted && !agent && sender) {
      await queueAcknowledgement(tx, ctx, { ticket, mailbox, to: from, inReplyTo: p.messageId });
    }
    return { status: "processed", ticketId: ticket.id, messageId: message.id };
  }
}

/** The metadata of an inbound email's message; the body with remote images is kept for when an agent allows them. */
export function messageMetadata(
  stored: StoredInbound,
  p: ParsedEmail,
  fromAddr: string,
  html: string,
  remoteImages: number,
) {
  return {
    email: {
      messageId: p.messageId,
      from: fromAddr,
      inboundEmailId: stored.id,
      contentHash: contentHash(p, fromAddr),
      ...(remoteImages ? { html } : {}),
    },
  };
}

/**
 * What makes two emails the same message apart from their Message-ID: sender, subject, text and
 * the attachments' bytes (not the headers a relay adds, so a message delivered twice matches).
 */
export function contentHash(p: ParsedEmail, fromAddr: string): string {
  const h = createHash("sha256");
  for (const part of [fromAddr.toLowerCase(), p.subject, p.text]) h.update(part).update("\u0000");
  for (const a of p.attachments)
    h.update(createHash("sha256").update(a.content).digest("hex")).update("\u0000");
  return h.digest("hex");
}

type Stamp = { stored: StoredInbound; p: ParsedEmail; fromAddr: string; ticketId: string; messageId: string };

/** The email_messages row of an ingested email: the full original, one click away in the thread view. */
export function emailRecord(
  { stored, p, fromAddr, ticketId, messageId }: Stamp,
  files: {
    cidMap: Map<string, string>;
    withheld: Array<{ filename: string; contentType: string; reason: string }>;
  },
) {
  const full = rewriteCids(p.html, files.cidMap);
  return {
    messageId,
    ticketId,
    inboundEmailId: stored.id,
    messageIdHeader: p.messageId,
    from: fromAddr,
    to: p.to.map((a) => a.address).slice(0, 100),
    cc: p.cc.map((a) => a.address).slice(0, 100),
    subject: p.subject.slice(0, 1000),
    fullHtml: full,
    fullText: p.text,
    quotedText: p.quotedText,
    remoteImages: blockRemoteImages(full).count,
    autoSubmitted: p.autoSubmitted,
    withheld: files.withheld,
  };
}

/** The Message-ID (and Outlook thread root) later replies are threaded by. */
export function threadKeyRows({ p, fromAddr, ticketId, messageId }: Stamp) {
  return [p.messageId, p.threadIndexRoot, p.messageId && contentKey(p.messageId, contentHash(p, fromAddr))]
    .filter((k): k is string => !!k)
    .map((key) => ({ key, ticketId, messageId, direction: "in" }));
}

/**
 * The key of one message's content under its Message-ID (no "<": never a threading header).
 * Two emails with one Message-ID and different content each get theirs.
 */
const contentKey = (messageId: string, hash: string) => `content:${hash}:${messageId}`;

export async function addFollowers(
  tx: DbOrTx,
  ticket: TicketRow,
  p: ParsedEmail,
  own: Set<string>,
  senderId: string | null,
) {
  const cc = [...p.to, ...p.cc].filter((a) => !own.has(plusAddress(a.address).base)).slice(0, MAX_FOLLOWERS);
  if (cc.length === 0) return;
  const staff = await tx
    .select({ email: users.email })
    .from(users)
    .where(
      inArray(
        sql`lower(${users.email})`,
        cc.map((a) => a.address),
      ),
    );
  const staffSet = new Set(staff.map((s) => s.email.toLowerCase()));
  for (const a of cc) {
    if (staffSet.has(a.address)) continue;
    const contact = await resolveRequester(tx, { email: a.address, name: a.name || undefined });
    if (contact.id === senderId || contact.id === ticket.requesterId) continue;
    await tx
      .insert(ticketFollowers)
      .values({ ticketId: ticket.id, contactId: contact.id, email: a.address })
      .onConflictDoNothing();
  }
}

/** Stores the email's files as ticket attachments (inline cid: images too); unsafe types are withheld, not lost: the raw MIME keeps them. */
async function storeAttachments(ctx: Ctx, ticketId: string, p: ParsedEmail) {
  const cidMap = new Map<string, string>();
  const ids: string[] = [];
  const withheld: Array<{ filename: string; contentType: string; reason: string }> = [];
  for (const a of p.attachments.slice(0, 100)) {
    if (a.content.length === 0) continue;
    try {
      const stored = await storeAttachment(ctx, ticketId, {
        filename: a.filename,
        mimetype: a.contentType,
        stream: Readable.from([a.content]),
      });
      ids.push(stored.id);
      if (a.cid) cidMap.set(a.cid, stored.url);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      withheld.push({ filename: a.filename, contentType: a.contentType, reason: e.message });
    }
  }
  return { ids, cidMap, withheld, html: rewriteCids(p.newHtml, cidMap) };
}

function rewriteCids(html: string, cidMap: Map<string, string>): string {
  return html.replace(/src="cid:([^"]+)"/gi, (m, cid: string) => {
    const url = cidMap.get(cid.replace(/^<|>$/g, ""));
    return url ? `src="${url}"` : m;
  });
}

export function toInbound(r: typeof inboundEmails.$inferSelect): TInbound {
  return {
    id: r.id,
    mailboxId: r.mailboxId,
    source: r.source,
    size: r.size,
    envelopeFrom: r.envelopeFrom,
    envelopeTo: r.envelopeTo,
    messageIdHeader: r.messageIdHeader,
    subject: r.subject,
    from: r.fromAddress,
    status: r.status as TInbound["status"],
    error: r.error,
    attempts: r.attempts,
    ticketId: r.ticketId,
    messageId: r.messageId,
    receivedAt: r.receivedAt.toISOString(),
    processedAt: r.processedAt?.toISOString() ?? null,
  };
}

/** The inbound log for admins, newest first; `status=failed` is the failed-mail list. */
export async function listInbound(
  ctx: Ctx,
  q: { status?: TInbound["status"]; cursor?: string; limit: number },
): Promise<{ items: TInbound[]; nextCursor: string | null }> {
  requireCan(ctx.actor, "email.manage");
  const conds = [q.status ? eq(inboundEmails.status, q.status) : undefined];
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2) as [string, string];
    conds.push(
      or(
        lt(inboundEmails.receivedAt, new Date(at)),
        and(eq(inboundEmails.receivedAt, new Date(at)), lt(inboundEmails.id, id)),
      ),
    );
  }
  const { raw: _omit, ...cols } = getTableColumns(inboundEmails);
  const rows = await ctx.db
    .select({ ...cols, raw: sql<Buffer>`''::bytea` })
    .from(inboundEmails)
    .where(and(...conds.filter((c) => c !== undefined)))
    .orderBy(desc(inboundEmails.receivedAt), desc(inboundEmails.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toInbound(r as typeof inboundEmails.$inferSelect)),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.receivedAt.toISOString(), last.id]) : null,
  };
}

export async function getInbound(ctx: Ctx, id: string) {
  requireCan(ctx.actor, "email.manage");
  const [row] = await ctx.db.select().from(inboundEmails).where(eq(inboundEmails.id, id));
  if (!row) throw notFound("Inbound email");
  return row;
}

/** Puts a failed email back through processing (after a fix, or a transient error). */
export async function retryInbound(ctx: Ctx, id: string): Promise<TInbound> {
  requireCan(ctx.actor, "email.manage");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(inboundEmails).where(eq(inboundEmails.id, id)).for("update");
    if (!row) throw notFound("Inbound email");
    if (row.status !== "failed")
      throw badRequest("Only failed emails can be retried", { status: row.status });
    const [updated] = await tx
      .update(inboundEmails)
      .set({ status: "received", error: null })
      .where(eq(inboundEmails.id, id))
      .returning();
    await enqueue(
      tx,
      INBOUND_JOB,
      { inboundId: id },
      { dedupeKey: `${id}:retry:${row.attempts}`, maxAttempts: 5 },
    );
    if (!updated) throw notFound("Inbound email");
    return toInbound(updated);
  });
}
