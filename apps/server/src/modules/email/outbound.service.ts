import path from "node:path";
import { and, asc, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx, Services } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { writeLater } from "../../db/deferred.ts";
import { enqueue } from "../../jobs/queue.ts";
import { PermanentJobError } from "../../jobs/worker.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { escapeHtml, textToHtml } from "../../lib/html.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { articlesForRequest } from "../kb/kb.public.service.ts";
import { slaTargets } from "../sla/sla.table.ts";
import { setMessageDelivery } from "../tickets/messages.service.ts";
import type { AddedMessage } from "../tickets/pipeline.ts";
import { rowFromJson } from "../tickets/settings.ts";
import { asStaff, loadVisibleTicket, type TicketRow } from "../tickets/tickets.service.ts";
import { attachments, messages } from "../tickets/tickets.table.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import { blockRemoteImages, cleanSubject } from "./email.parse.ts";
import type { TEmailMessage, TOutbound } from "./email.schema.ts";
import {
  emailMessages,
  emailThreadKeys,
  type InlineImage,
  inboundEmails,
  mailboxes,
  outboundEmails,
} from "./email.table.ts";
import type { MailboxRow } from "./mailboxes.service.ts";
import {
  ACK_ARTICLES_HEADING,
  DEFAULT_ACK,
  DEFAULT_AUTH,
  fill,
  pickLocale,
  RESPONSE_PROMISE_HOURS,
} from "./templates.ts";

export const SEND_JOB = "email.send";

/** One line, no control characters: what may go into a header. */
export const headerSafe = (s: string, max = 500) =>
  s
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .trim()
    .slice(0, max);

const domainOf = (address: string) => address.split("@")[1] ?? "localhost";
export const newMessageIdHeader = (id: string, mailboxAddress: string) =>
  `<rapport.${id}@${domainOf(mailboxAddress)}>`;
export const replyAddress = (mailboxAddress: string, ticketNumber: number) => {
  const [local, domain] = mailboxAddress.split("@");
  return `${local}+t${ticketNumber}@${domain}`;
};
export const ticketSubject = (subject: string, number: number) =>
  headerSafe(`Re: ${cleanSubject(subject)} [#${number}]`, 600);

/** The mailbox a ticket's mail came in through, else the first active mailbox that can send. */
export async function mailboxForTicket(tx: DbOrTx, ticketId: string | null): Promise<MailboxRow | undefined> {
  if (ticketId) {
    const [viaInbound] = await tx
      .select({ mailbox: mailboxes })
      .from(inboundEmails)
      .innerJoin(mailboxes, eq(mailboxes.id, inboundEmails.mailboxId))
      .where(and(eq(inboundEmails.ticketId, ticketId), eq(mailboxes.active, true)))
      .orderBy(desc(inboundEmails.receivedAt))
      .limit(1);
    if (viaInbound) return viaInbound.mailbox;
  }
  const [first] = await tx
    .select()
    .from(mailboxes)
    .where(eq(mailboxes.active, true))
    .orderBy(sql`${mailboxes.smtpHost} is null`, asc(mailboxes.createdAt))
    .limit(1);
  return first;
}

type Queued = {
  kind:
    | "reply"
    | "ack"
    | "password_reset"
    | "invite"
    | "planner_reminder"
    | "promise_reminder"
    | "notification"
    | "approval"
    | "survey"
    /** A customer portal sign-in link (modules/portal). */
    | "portal_link"
    /** An agent's email in a side conversation (modules/sideconv). */
    | "side"
    /** A customer's reminder with the admin's offer before they lapse (modules/value). */
    | "value_reminder"
    /** A scheduled report with its charts (modules/reports/scheduled). */
    | "report";
  mailbox: MailboxRow | undefined;
  ticketId: string | null;
  messageId: string | null;
  id: string;
  to: string[];
  cc: string[];
  subject: string;
  inReplyTo: string | null;
  references: string[];
  replyTo: string | null;
  text: string;
  html: string;
  inlineImages?: InlineImage[];
};

export async function queue(tx: DbOrTx, q: Queued) {
  const header = newMessageIdHeader(q.id, q.mailbox?.address ?? "rapport@localhost");
  // Nothing in a unit of work reads the row back (the send job runs after the commit): with
  // the unit's last statement (db/deferred.ts).
  const row = tx.insert(outboundEmails).values({
    id: q.id,
    kind: q.kind,
    mailboxId: q.mailbox?.id ?? null,
    ticketId: q.ticketId,
    messageId: q.messageId,
    messageIdHeader: header,
    to: q.to,
    cc: q.cc,
    subject: headerSafe(q.subject, 600),
    inReplyTo: q.inReplyTo,
    references: q.references,
    replyTo: q.replyTo,
    bodyText: q.text,
    bodyHtml: q.html,
    inlineImages: q.inlineImages ?? null,
  });
  await writeLater(tx, row.getSQL());
  if (q.ticketId)
    await writeLater(
      tx,
      tx
        .insert(emailThreadKeys)
        .values({ key: header, ticketId: q.ticketId, messageId: q.messageId, direction: "out" })
        .onConflictDoNothing()
        .getSQL(),
    );
  await enqueue(tx, SEND_JOB, { outboundId: q.id }, { dedupeKey: q.id, maxAttempts: 8 });
}

/**
 * What a reply on an email ticket needs, in one statement: the requester's address, the
 * mailbox to send from (the one the customer wrote to, else the first active one that can
 * send), the followers to copy, the last inbound Message-ID and the thread's references.
 */
async function replyContext(tx: DbOrTx, ticket: TicketRow) {
  const res = await tx.execute(sql`select
    (select ce.email from contact_emails ce where ce.contact_id = ${ticket.requesterId}
      order by ce.is_primary desc, ce.created_at limit 1) as "to",
    (select row_to_json(m) from mailboxes m where m.id = coalesce(
      (select ie.mailbox_id from inbound_emails ie join mailboxes im on im.id = ie.mailbox_id
        where ie.ticket_id = ${ticket.id} and im.active order by ie.received_at desc limit 1),
      (select am.id from mailboxes am where am.active order by am.smtp_host is null, am.created_at limit 1)
    )) as mailbox,
    (select coalesce(array_agg(f.email), '{}') from
      (select email from ticket_followers where ticket_id = ${ticket.id} limit 50) f) as followers,
    (select em.message_id_header from email_messages em
      where em.ticket_id = ${ticket.id} and em.inbound_email_id is not null
      order by em.created_at desc limit 1) as "lastIn",
    (select coalesce(array_agg(k.key order by k.created_at), '{}') from
      (select key, created_at from email_thread_keys where ticket_id = ${ticket.id} and key like '<%'
        order by created_at limit 200) k) as refs`);
  const row = (
    res as unknown as {
      rows: Array<{
        to: string | null;
        mailbox: Record<string, unknown> | null;
        followers: string[];
        lastIn: string | null;
        refs: string[];
      }>;
    }
  ).rows[0];
  const keys = row?.refs ?? [];
  return {
    to: row?.to ?? null,
    mailbox: row?.mailbox ? rowFromJson(mailboxes, row.mailbox) : undefined,
    followers: row?.followers ?? [],
    lastIn: row?.lastIn ?? null,
    // Message-IDs of the thread for References: the first and the last 19 (capped).
    references: keys.length > 20 ? [...keys.slice(0, 1), ...keys.slice(-19)] : keys,
  };
}

/**
 * Message step: an agent's public reply on an email ticket, or on a web form's ticket (the form
 * asked for the customer's address to answer by email), is queued to be sent.
 */
export async function queueEmailReplies(uow: Uow, items: AddedMessage[]) {
  if (uow.quiet) return;
  for (const { before, message, input } of items) await queueReply(uow.tx, uow.ctx, before, message, input);
}

async function queueReply(
  tx: DbOrTx,
  ctx: Ctx,
  ticket: AddedMessage["before"],
  message: AddedMessage["message"],
  input: AddedMessage["input"],
) {
  if (
    (ticket.channel !== "email" && ticket.channel !== "web") ||
    input.authorType !== "agent" ||
    input.internal
  )
    return;
  if (input.metadata && "email" in input.metadata) return; // an agent's own email, already delivered
  const { to, mailbox, followers, lastIn, references } = await replyContext(tx, ticket);
  if (!to) return;
  await queue(tx, {
    kind: "reply",
    mailbox,
    ticketId: ticket.id,
    messageId: message.id,
    id: crypto.randomUUID(),
    to: [to],
    cc: followers.filter((e) => e.toLowerCase() !== to.toLowerCase()),
    subject: ticketSubject(ticket.subject, ticket.number),
    inReplyTo: lastIn,
    references,
    replyTo: mailbox ? replyAddress(mailbox.address, ticket.number) : null,
    text: message.bodyText,
    html: message.bodyHtml,
  });
  await setMessageDelivery(tx, message.id, "queued", null, ctx.now());
}

/** The acknowledgement of a new email ticket, in the customer's language, with the response-time promise. */
export async function queueAcknowledgement(
  tx: DbOrTx,
  ctx: Ctx,
  a: { ticket: TicketRow; mailbox: MailboxRow; to: string; inReplyTo: string | null },
) {
  const [contact] = await tx.select().from(contacts).where(eq(contacts.id, a.ticket.requesterId));
  const locale = pickLocale(a.ticket.language ?? contact?.language);
  const template = a.mailbox.ackTemplates[locale] ?? DEFAULT_ACK[locale];
  // The promise is the ticket's first-response target from its SLA policy (10 business hours by default).
  const [target] = await tx
    .select({ targetMs: slaTargets.targetMs })
    .from(slaTargets)
    .where(
      and(
        eq(slaTargets.ticketId, a.ticket.id),
        eq(slaTargets.metric, "first_response"),
        eq(slaTargets.cycle, 0),
      ),
    );
  const hours = target ? Math.max(1, Math.round(target.targetMs / 3_600_000)) : RESPONSE_PROMISE_HOURS;
  const values = {
    number: a.ticket.number,
    subject: cleanSubject(a.ticket.subject),
    hours,
    name: contact?.name || a.to,
  };
  const text = fill(template.body, values);
  const articles = a.mailbox.ackArticles ? await ackArticles(tx, ctx, a.ticket, locale) : null;
  await queue(tx, {
    kind: "ack",
    mailbox: a.mailbox,
    ticketId: a.ticket.id,
    messageId: null,
    id: crypto.randomUUID(),
    to: [a.to],
    cc: [],
    subject: `${headerSafe(fill(template.subject, values), 500)} [#${a.ticket.number}]`,
    inReplyTo: a.inReplyTo,
    references: a.inReplyTo ? [a.inReplyTo] : [],
    replyTo: replyAddress(a.mailbox.address, a.ticket.number),
    text: articles ? `${text}\n\n${articles.text}` : text,
    html: articles ? `${textToHtml(text)}${articles.html}` : textToHtml(text),
  });
}

/**
 * Up to three public articles for a new ticket's subject and first message, in the ticket's
 * language (else the help centre's default), as text and HTML; null when none matches.
 */
async function ackArticles(
  tx: DbOrTx,
  ctx: Ctx,
  ticket: TicketRow,
  locale: keyof typeof ACK_ARTICLES_HEADING,
) {
  const [first] = await tx
    .select({ text: messages.bodyText })
    .from(messages)
    .where(and(eq(messages.ticketId, ticket.id), eq(messages.internal, false)))
    .orderBy(asc(messages.createdAt))
    .limit(1);
  const found = await articlesForRequest(
    { ...ctx, db: tx },
    `${cleanSubject(ticket.subject)} ${first?.text ?? ""}`,
    ticket.language ?? locale,
  );
  if (found.items.length === 0) return null;
  const heading = ACK_ARTICLES_HEADING[locale];
  return {
    text: `${heading}\n${found.items.map((i) => `- ${i.title}: ${i.url}`).join("\n")}`,
    html: `<p>${escapeHtml(heading)}</p><ul>${found.items
      .map((i) => `<li><a href="${escapeHtml(i.url)}">${escapeHtml(i.title)}</a></li>`)
      .join("")}</ul>`,
  };
}

export type AuthMailEvent = {
  type: "auth.password_reset_requested" | "auth.invited";
  userId: string;
  email: string;
  name: string;
  locale: string;
  /** auth.password_reset_requested */
  resetUrl?: string;
  /** auth.invited */
  setPasswordUrl?: string;
};

/** Password-reset and invitation emails, sent through the same queue as replies. */
export async function queueAuthEmail(services: Services, e: AuthMailEvent) {
  await services.db.transaction(async (tx) => {
    const mailbox = await mailboxForTicket(tx, null);
    const locale = pickLocale(e.locale);
    const t = DEFAULT_AUTH[locale][e.type === "auth.invited" ? "invite" : "reset"];
    const url = e.resetUrl ?? e.setPasswordUrl ?? "";
    const text = fill(t.body, { name: e.name, url });
    await queue(tx, {
      kind: e.type === "auth.invited" ? "invite" : "password_reset",
      mailbox,
      ticketId: null,
      messageId: null,
      id: crypto.randomUUID(),
      to: [e.email],
      cc: [],
      subject: t.subject,
      inReplyTo: null,
      references: [],
      replyTo: null,
      text,
      html: textToHtml(text.replace(url, "\u0000")).replace(
        "\u0000",
        `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`,
      ),
    });
  });
}

const transports = new Map<string, { key: string; transport: Transporter }>();

/** How long an SMTP delivery waits for the connection, the greeting and each answer. */
export const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

function transportFor(m: MailboxRow): Transporter {
  const key = `${m.smtpHost}|${m.smtpPort}|${m.smtpTls}|${m.smtpUser}|${m.smtpPassword}`;
  const cached = transports.get(m.id);
  if (cached?.key === key) return cached.transport;
  cached?.transport.close();
  const transport = nodemailer.createTransport({
    host: m.smtpHost ?? "localhost",
    port: m.smtpPort ?? (m.smtpTls === "tls" ? 465 : 587),
    secure: m.smtpTls === "tls",
    ignoreTLS: m.smtpTls === "none",
    requireTLS: m.smtpTls === "starttls",
    auth: m.smtpUser ? { user: m.smtpUser, pass: m.smtpPassword ?? "" } : undefined,
    tls: { rejectUnauthorized: process.env.NODE_TLS_REJECT_UNAUTHORIZED !== "0" },
    ...SMTP_TIMEOUTS,
  });
  transports.set(m.id, { key, transport });
  return transport;
}

/** The send job: one SMTP delivery attempt. 5xx answers fail for good; anything else is retried. */
export async function sendOutbound(ctx: Ctx, outboundId: string): Promise<void> {
  const [o] = await ctx.db.select().from(outboundEmails).where(eq(outboundEmails.id, outboundId));
  if (!o || o.status === "sent" || o.status === "bounced") return;
  const [m] = o.mailboxId ? await ctx.db.select().from(mailboxes).where(eq(mailboxes.id, o.mailboxId)) : [];
  if (!m) throw new PermanentJobError("No mailbox to send from");
  if (!m.smtpHost) throw new PermanentJobError(`Mailbox ${m.address} has no outbound SMTP server configured`);
  const files = o.messageId
    ? await ctx.db
        .select()
        .from(attachments)
        .where(eq(attachments.messageId, o.messageId))
        .orderBy(asc(attachments.createdAt))
    : [];
  await ctx.db
    .update(outboundEmails)
    .set({ attempts: sql`${outboundEmails.attempts} + 1`, updatedAt: ctx.now() })
    .where(eq(outboundEmails.id, o.id));
  try {
    await transportFor(m).sendMail({
      from: { name: headerSafe(m.displayName, 120), address: m.address },
      to: o.to,
      cc: o.cc.length ? o.cc : undefined,
      replyTo: o.replyTo ?? undefined,
      subject: headerSafe(o.subject, 600),
      messageId: o.messageIdHeader,
      inReplyTo: o.inReplyTo ?? undefined,
      references: o.references.length ? o.references : undefined,
      text: o.bodyText,
      html: o.bodyHtml,
      headers:
        o.kind === "reply" || o.kind === "side"
          ? {}
          : { "Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All" },
      attachments: [
        ...files.map((f) => ({
          filename: f.filename,
          contentType: f.contentType,
          path: path.join(ctx.config.attachmentsDir, f.storageKey),
        })),
        ...(o.inlineImages ?? []).map((i) => ({
          filename: i.filename,
          contentType: i.contentType,
          cid: i.cid,
          content: Buffer.from(i.base64, "base64"),
        })),
      ],
    });
  } catch (e) {
    const err = e as Error & { responseCode?: number; response?: string };
    const reason = err.response ?? err.message;
    if (err.responseCode && err.responseCode >= 500) throw new PermanentJobError(reason);
    throw new Error(reason);
  }
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(outboundEmails)
      .set({ status: "sent", sentAt: ctx.now(), lastError: null, updatedAt: ctx.now() })
      .where(eq(outboundEmails.id, o.id));
    if (o.messageId) await setMessageDelivery(tx, o.messageId, "sent", null, ctx.now());
  });
}

/** A failed attempt: the reason is kept; when no retry is left the email and its message are `failed`. */
export async function recordSendFailure(ctx: Ctx, outboundId: string, error: string, willRetry: boolean) {
  const reason = error.slice(0, 2000);
  await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .update(outboundEmails)
      .set({ lastError: reason, updatedAt: ctx.now(), ...(willRetry ? {} : { status: "failed" }) })
      .where(and(eq(outboundEmails.id, outboundId), inArray(outboundEmails.status, ["queued", "failed"])))
      .returning({ messageId: outboundEmails.messageId });
    const messageId = rows[0]?.messageId;
    if (messageId)
      await setMessageDelivery(tx, messageId, willRetry ? "queued" : "failed", reason, ctx.now());
  });
}

export function closeTransports() {
  for (const { transport } of transports.values()) transport.close();
  transports.clear();
}

const toOutbound = (o: typeof outboundEmails.$inferSelect): TOutbound => ({
  id: o.id,
  kind: o.kind,
  mailboxId: o.mailboxId,
  ticketId: o.ticketId,
  messageId: o.messageId,
  messageIdHeader: o.messageIdHeader,
  to: o.to,
  cc: o.cc,
  subject: o.subject,
  status: o.status as TOutbound["status"],
  attempts: o.attempts,
  lastError: o.lastError,
  sentAt: o.sentAt?.toISOString() ?? null,
  createdAt: o.createdAt.toISOString(),
});

/** The outbound queue for admins, newest first. */
export async function listOutbound(
  ctx: Ctx,
  q: { status?: TOutbound["status"]; cursor?: string; limit: number },
) {
  requireCan(ctx.actor, "email.manage");
  const conds = [q.status ? eq(outboundEmails.status, q.status) : undefined];
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2) as [string, string];
    conds.push(
      or(
        lt(outboundEmails.createdAt, new Date(at)),
        and(eq(outboundEmails.createdAt, new Date(at)), lt(outboundEmails.id, id)),
      ),
    );
  }
  const rows = await ctx.db
    .select()
    .from(outboundEmails)
    .where(and(...conds.filter((c) => c !== undefined)))
    .orderBy(desc(outboundEmails.createdAt), desc(outboundEmails.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(toOutbound),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
  };
}

export async function retryOutbound(ctx: Ctx, id: string): Promise<TOutbound> {
  requireCan(ctx.actor, "email.manage");
  return ctx.db.transaction(async (tx) => {
    const [o] = await tx.select().from(outboundEmails).where(eq(outboundEmails.id, id)).for("update");
    if (!o) throw notFound("Outbound email");
    if (o.status !== "failed" && o.status !== "bounced")
      throw badRequest("Only failed or bounced emails can be retried", { status: o.status });
    const [updated] = await tx
      .update(outboundEmails)
      .set({ status: "queued", updatedAt: ctx.now() })
      .where(eq(outboundEmails.id, id))
      .returning();
    await enqueue(tx, SEND_JOB, { outboundId: id }, { dedupeKey: `${id}:retry:${o.attempts}` });
    if (!updated) throw notFound("Outbound email");
    if (updated.messageId) await setMessageDelivery(tx, updated.messageId, "queued", null, ctx.now());
    return toOutbound(updated);
  });
}

/** The sanitized body with its remote images, kept in the message's metadata when some were blocked. */
function bodyWithImages(metadata: unknown): string | null {
  const html = (metadata as { email?: { html?: unknown } } | null)?.email?.html;
  return typeof html === "string" ? html : null;
}

/** The email details of a ticket's messages (agent app): quoted history, full original, delivery status. */
export async function ticketEmail(ctx: Ctx, ticketId: string): Promise<TEmailMessage[]> {
  await loadVisibleTicket(ctx.db, asStaff(ctx.actor), ticketId);
  const [inbound, outbound] = await Promise.all([
    ctx.db
      .select({ e: emailMessages, metadata: messages.metadata })
      .from(emailMessages)
      .innerJoin(messages, eq(messages.id, emailMessages.messageId))
      .where(eq(emailMessages.ticketId, ticketId))
      .limit(1000),
    ctx.db
      .select()
      .from(outboundEmails)
      .where(and(eq(outboundEmails.ticketId, ticketId), sql`${outboundEmails.messageId} is not null`))
      .limit(1000),
  ]);
  const inItems: TEmailMessage[] = inbound.map(({ e, metadata }) => ({
    messageId: e.messageId,
    direction: "in",
    messageIdHeader: e.messageIdHeader,
    from: e.from,
    to: e.to,
    cc: e.cc,
    subject: e.subject,
    bodyHtml: e.imagesAllowed ? bodyWithImages(metadata) : null,
    fullHtml: e.imagesAllowed ? e.fullHtml : blockRemoteImages(e.fullHtml).html,
    fullText: e.fullText,
    quotedText: e.quotedText,
    remoteImages: e.remoteImages,
    imagesAllowed: e.imagesAllowed,
    autoSubmitted: e.autoSubmitted,
    withheldAttachments: e.withheld as TEmailMessage["withheldAttachments"],
    delivery: null,
  }));
  const outItems: TEmailMessage[] = outbound.map((o) => ({
    messageId: o.messageId ?? "",
    direction: "out",
    messageIdHeader: o.messageIdHeader,
    from: null,
    to: o.to,
    cc: o.cc,
    subject: o.subject,
    bodyHtml: null,
    fullHtml: o.bodyHtml,
    fullText: o.bodyText,
    quotedText: "",
    remoteImages: 0,
    imagesAllowed: true,
    autoSubmitted: false,
    withheldAttachments: [],
    delivery: {
      outboundId: o.id,
      status: o.status as TOutbound["status"],
      attempts: o.attempts,
      error: o.lastError,
      sentAt: o.sentAt?.toISOString() ?? null,
    },
  }));
  return [...inItems, ...outItems];
}

/** An agent allows the remote images of one received email. */
export async function allowImages(ctx: Ctx, ticketId: string, messageId: string): Promise<TEmailMessage> {
  await loadVisibleTicket(ctx.db, asStaff(ctx.actor), ticketId);
  const rows = await ctx.db
    .update(emailMessages)
    .set({ imagesAllowed: true })
    .where(and(eq(emailMessages.ticketId, ticketId), eq(emailMessages.messageId, messageId)))
    .returning({ id: emailMessages.messageId });
  if (rows.length === 0) throw notFound("Email message");
  const all = await ticketEmail(ctx, ticketId);
  const item = all.find((m) => m.messageId === messageId);
  if (!item) throw notFound("Email message");
  return item;
}
