import { Readable } from "node:stream";
import { LOCALES } from "@rapport/shared";
import { and, asc, desc, eq, gt, gte, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type CustomerActor, SYSTEM } from "../../auth/actor.ts";
import { randomToken, sha256 } from "../../auth/crypto.ts";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx, Services } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import type { UploadedFile } from "../../http/multipart.ts";
import { AppError, badRequest, notFound, unauthenticated } from "../../lib/errors.ts";
import { escapeHtml, textToHtml } from "../../lib/html.ts";
import { sessions } from "../auth/auth.table.ts";
import { derive, hmacHex } from "../channels/keys.ts";
import { e164 } from "../channels/match.ts";
import { contactEmails, contactPhones, contacts } from "../contacts/contacts.table.ts";
import { mailboxForTicket, queue, queueAcknowledgement } from "../email/outbound.service.ts";
import { requestCallback } from "../phone/callbacks.service.ts";
import { callbacks } from "../phone/phone.table.ts";
import { readSettings } from "../settings/settings.service.ts";
import { instantOfWallClock } from "../sla/business-hours.ts";
import { checkContent, writeUpload } from "../tickets/attachments.service.ts";
import { addTicketMessage, createTickets } from "../tickets/pipeline.ts";
import { applyTicketChanges } from "../tickets/tickets.service.ts";
import { attachments, messages, tickets } from "../tickets/tickets.table.ts";
import { withTransaction } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import { ownMembership } from "../value/value.loyalty.ts";
import { linkDeflections } from "./deflection.service.ts";
import { portalStrings } from "./portal.i18n.ts";
import { portalLinkRequests, portalLinks, portalOrganizations } from "./portal.table.ts";

/** A sign-in link works once, for this long. */
export const LINK_TTL_MS = 15 * 60_000;
/** A portal session lasts a week. */
export const PORTAL_SESSION_TTL_MS = 7 * 24 * 3600_000;
/** Link requests per address, and per network, in LINK_WINDOW_MS before 429 (known or unknown address alike). */
export const LINKS_PER_EMAIL = 3;
export const LINKS_PER_IP = 20;
export const LINK_WINDOW_MS = 15 * 60_000;
export const MAX_FILES = 5;
export const PORTAL_LOCALES = LOCALES;
export type PortalLocale = (typeof LOCALES)[number];

const noNul = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes("\u0000"), { message: "NUL characters are not allowed" });
const oneLine = (max: number) => noNul(max).refine((s) => !/[\r\n]/.test(s), { message: "must be one line" });

export const ZLinkRequest = z.strictObject({
  email: z.email().max(320),
  lang: z.enum(LOCALES).optional(),
});
export const ZVerify = z.strictObject({ token: z.string().min(10).max(200) });
export const ZReply = z.strictObject({ body: noNul(20_000).trim().min(1) });
export const ZNewRequest = z.strictObject({
  subject: oneLine(300).trim().min(1),
  body: noNul(20_000).trim().min(1),
  /** The suggestion session of the new-request page (deflection, docs/portal.md). */
  sid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});
export const ZProfile = z.strictObject({
  name: oneLine(200).trim().min(1).optional(),
  phone: oneLine(40).trim().max(40).nullable().optional(),
  language: z.enum(LOCALES).optional(),
});
export const ZPortalCallback = z.strictObject({
  phone: oneLine(40).trim().min(3),
  /** ISO date-time with offset, or a local `YYYY-MM-DDTHH:MM` in the customer's time zone. */
  windowStart: z.string().max(40),
  windowEnd: z.string().max(40).optional(),
  topic: noNul(2000).optional(),
  ticketId: z.uuid().optional(),
});

export type PortalFile = UploadedFile;

const keyHash = (ctx: Services, purpose: string, value: string) =>
  hmacHex(derive(ctx.config, purpose), value).slice(0, 40);

// ---- Sign-in ---------------------------------------------------------------------------------

/**
 * Sends a one-time sign-in link to a customer's address. The caller learns nothing about the
 * address: the answer is the same whether a contact holds it or not, and the limits count every
 * request (known and unknown addresses alike).
 */
export async function requestLink(ctx: Ctx, ip: string, input: z.infer<typeof ZLinkRequest>) {
  const email = input.email.trim().toLowerCase();
  const emailHash = keyHash(ctx, "portal-email", email);
  const ipHash = keyHash(ctx, "portal-ip", ip);
  const since = new Date(ctx.now().getTime() - LINK_WINDOW_MS);
  const [counts] = await ctx.db
    .select({
      byEmail: sql<number>`count(*) filter (where ${portalLinkRequests.emailHash} = ${emailHash})::int`,
      byIp: sql<number>`count(*) filter (where ${portalLinkRequests.ipHash} = ${ipHash})::int`,
    })
    .from(portalLinkRequests)
    .where(
      and(
        gte(portalLinkRequests.createdAt, since),
        or(eq(portalLinkRequests.emailHash, emailHash), eq(portalLinkRequests.ipHash, ipHash)),
      ),
    );
  if ((counts?.byEmail ?? 0) >= LINKS_PER_EMAIL || (counts?.byIp ?? 0) >= LINKS_PER_IP)
    throw new AppError("rate_limited", 429, "Too many sign-in links asked for; try again in a few minutes");
  await ctx.db.transaction(async (tx) => {
    await tx.insert(portalLinkRequests).values({ emailHash, ipHash, createdAt: ctx.now() });
    const [found] = await tx
      .select({ id: contacts.id, name: contacts.name, language: contacts.language })
      .from(contactEmails)
      .innerJoin(contacts, eq(contacts.id, contactEmails.contactId))
      .where(sql`lower(${contactEmails.email}) = ${email}`);
    if (!found) return;
    const token = randomToken(32);
    await tx.insert(portalLinks).values({
      tokenHash: sha256(token),
      contactId: found.id,
      email,
      expiresAt: new Date(ctx.now().getTime() + LINK_TTL_MS),
      createdAt: ctx.now(),
    });
    const settings = await readSettings(tx);
    const locale = pickLocale(input.lang ?? found.language);
    const t = portalStrings(locale);
    const url = `${ctx.config.publicUrl.replace(/\/$/, "")}/portal/verify?token=${token}`;
    const text = fillIn(t.linkEmailBody, { name: found.name || email, org: settings?.name ?? "", url });
    await queue(tx, {
      kind: "portal_link",
      mailbox: await mailboxForTicket(tx, null),
      ticketId: null,
      messageId: null,
      id: crypto.randomUUID(),
      to: [email],
      cc: [],
      subject: fillIn(t.linkEmailSubject, { org: settings?.name ?? "" }),
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

export const pickLocale = (v: string | null | undefined): PortalLocale =>
  (LOCALES as readonly string[]).includes(v ?? "") ? (v as PortalLocale) : "en";

export const fillIn = (s: string, values: Record<string, string | number>) =>
  s.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));

export type PortalSession = { sessionToken: string; csrfToken: string; expiresAt: Date; contactId: string };

/**
 * Trades a link for a customer session: the link is marked used in the same statement that
 * checks it, so two tabs racing with one link get one session. Used or expired: 410.
 */
export async function verifyLink(
  svc: Services,
  token: string,
  meta: { ip?: string; userAgent?: string },
): Promise<PortalSession> {
  const now = svc.now();
  const hash = sha256(token);
  return svc.db.transaction(async (tx) => {
    const [used] = await tx
      .update(portalLinks)
      .set({ usedAt: now })
      .where(and(eq(portalLinks.tokenHash, hash), isNull(portalLinks.usedAt), gt(portalLinks.expiresAt, now)))
      .returning();
    if (!used) {
      const [row] = await tx.select().from(portalLinks).where(eq(portalLinks.tokenHash, hash));
      if (!row)
        throw new AppError("invalid_token", 400, "This sign-in link is not valid", { reason: "unknown" });
      throw new AppError(
        "invalid_token",
        410,
        row.usedAt ? "This sign-in link was used already" : "This sign-in link has expired",
        { reason: row.usedAt ? "used" : "expired" },
      );
    }
    const sessionToken = randomToken();
    const csrfToken = randomToken(24);
    const expiresAt = new Date(now.getTime() + PORTAL_SESSION_TTL_MS);
    await tx.insert(sessions).values({
      tokenHash: sha256(sessionToken),
      kind: "customer",
      userId: null,
      subjectId: used.contactId,
      csrfToken,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
      expiresAt,
    });
    // The address proved itself.
    await tx
      .update(contactEmails)
      .set({ verified: true })
      .where(sql`lower(${contactEmails.email}) = ${used.email}`);
    return { sessionToken, csrfToken, expiresAt, contactId: used.contactId };
  });
}

/** A portal cookie to its customer; only `customer` sessions (the agent API reads only `agent` ones). */
export async function resolvePortalSession(
  svc: Services,
  sessionToken: string,
): Promise<{ actor: CustomerActor; csrfToken: string } | null> {
  const [row] = await svc.db
    .select({ subjectId: sessions.subjectId, csrfToken: sessions.csrfToken })
    .from(sessions)
    .where(
      and(
        eq(sessions.tokenHash, sha256(sessionToken)),
        eq(sessions.kind, "customer"),
        gt(sessions.expiresAt, svc.now()),
      ),
    );
  if (!row?.subjectId) return null;
  return { actor: { kind: "customer", contactId: row.subjectId }, csrfToken: row.csrfToken };
}

export async function signOut(svc: Services, sessionToken: string) {
  await svc.db
    .delete(sessions)
    .where(and(eq(sessions.tokenHash, sha256(sessionToken)), eq(sessions.kind, "customer")));
}

// ---- Who may see what ------------------------------------------------------------------------

export function requireCustomer(ctx: Ctx): CustomerActor {
  if (ctx.actor.kind !== "customer") throw unauthenticated();
  return ctx.actor;
}

/** The customer's own requests, and their organization's when it shares them. */
async function requestScope(db: DbOrTx, me: CustomerActor): Promise<{ scope: SQL; orgShared: boolean }> {
  const [row] = await db
    .select({ organizationId: contacts.organizationId, shared: portalOrganizations.shareRequests })
    .from(contacts)
    .leftJoin(portalOrganizations, eq(portalOrganizations.organizationId, contacts.organizationId))
    .where(eq(contacts.id, me.contactId));
  const own = eq(tickets.requesterId, me.contactId);
  if (!row?.organizationId || !row.shared) return { scope: own, orgShared: false };
  return {
    scope: or(
      own,
      sql`${tickets.requesterId} in (select id from contacts where organization_id = ${row.organizationId})`,
    ) as SQL,
    orgShared: true,
  };
}

async function visibleTicket(db: DbOrTx, me: CustomerActor, id: string, lock = false) {
  const { scope } = await requestScope(db, me);
  const q = db
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, id), scope));
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw notFound("Request");
  return row;
}

// ---- Requests --------------------------------------------------------------------------------

const toRequest = (t: typeof tickets.$inferSelect, requesterName: string | null, me: CustomerActor) => ({
  id: t.id,
  number: t.number,
  subject: t.subject,
  status: t.status,
  promisedBy: t.status === "solved" || t.status === "closed" ? null : (t.nextDueAt?.toISOString() ?? null),
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
  mine: t.requesterId === me.contactId,
  requester: requesterName ?? "",
});
export type TPortalRequest = ReturnType<typeof toRequest>;

export async function listRequests(ctx: Ctx, q: { scope: "mine" | "organization"; limit: number }) {
  const me = requireCustomer(ctx);
  const { scope, orgShared } = await requestScope(ctx.db, me);
  const where = q.scope === "mine" || !orgShared ? eq(tickets.requesterId, me.contactId) : scope;
  const rows = await ctx.db
    .select({ t: tickets, requesterName: contacts.name })
    .from(tickets)
    .innerJoin(contacts, eq(contacts.id, tickets.requesterId))
    .where(where)
    .orderBy(desc(tickets.updatedAt), desc(tickets.id))
    .limit(q.limit);
  return { organizationShared: orgShared, items: rows.map((r) => toRequest(r.t, r.requesterName, me)) };
}

/** A request with its public thread: internal notes never leave the agent API. */
export async function getRequest(ctx: Ctx, id: string) {
  const me = requireCustomer(ctx);
  const t = await visibleTicket(ctx.db, me, id);
  const [requester] = await ctx.db
    .select({ name: contacts.name })
    .from(contacts)
    .where(eq(contacts.id, t.requesterId));
  return { ...toRequest(t, requester?.name ?? "", me), messages: await publicThread(ctx.db, t.id) };
}

async function publicThread(db: DbOrTx, ticketId: string) {
  const rows = await db
    .select({ m: messages, agentName: users.name, contactName: contacts.name })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .leftJoin(contacts, eq(contacts.id, messages.authorContactId))
    .where(and(eq(messages.ticketId, ticketId), eq(messages.internal, false)))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  const ids = rows.map((r) => r.m.id);
  const files = ids.length
    ? await db
        .select({
          id: attachments.id,
          messageId: attachments.messageId,
          filename: attachments.filename,
          contentType: attachments.contentType,
          size: attachments.size,
        })
        .from(attachments)
        .where(inArray(attachments.messageId, ids))
    : [];
  return rows.map((r) => ({
    id: r.m.id,
    author: r.m.authorType === "customer" ? ("customer" as const) : ("support" as const),
    authorName: (r.m.authorType === "customer" ? r.contactName : r.agentName) ?? "",
    bodyHtml: r.m.bodyHtml,
    createdAt: r.m.createdAt.toISOString(),
    attachments: files
      .filter((f) => f.messageId === r.m.id)
      .map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size })),
  }));
}

async function storeFiles(ctx: Ctx, tx: DbOrTx, ticketId: string, files: PortalFile[]) {
  const ids: string[] = [];
  for (const f of files) {
    const stored = await writeUpload(ctx, {
      filename: f.filename,
      mimetype: f.mimetype,
      stream: Readable.from([f.content]),
    });
    await tx.insert(attachments).values({
      id: stored.id,
      ticketId,
      filename: stored.filename,
      contentType: stored.contentType,
      size: stored.size,
      sha256: stored.sha256,
      storageKey: stored.storageKey,
      createdAt: ctx.now(),
    });
    ids.push(stored.id);
  }
  return ids;
}

function checkFiles(files: PortalFile[]) {
  if (files.length > MAX_FILES) throw badRequest(`At most ${MAX_FILES} files`, { field: "attachments" });
  for (const f of files) checkContent(f.filename, f.mimetype, f.content.subarray(0, 512));
}

/** The customer's reply, through the ticket pipeline (a solved request opens again). */
export async function replyToRequest(
  ctx: Ctx,
  id: string,
  input: z.infer<typeof ZReply>,
  files: PortalFile[],
) {
  const me = requireCustomer(ctx);
  checkFiles(files);
  const messageId = await withTransaction(ctx, async (uow) => {
    const t = await visibleTicket(uow.tx, me, id, true);
    if (t.status === "closed") throw new AppError("conflict", 409, "This request is closed; open a new one");
    const attachmentIds = await storeFiles(uow.ctx, uow.tx, t.id, files);
    const added = await addTicketMessage(uow, t, {
      body: input.body,
      internal: false,
      attachmentIds,
      authorType: "customer",
      authorContactId: me.contactId,
      channel: "web",
      metadata: { portal: true },
    });
    return added.message.id;
  });
  const thread = await publicThread(ctx.db, id);
  const m = thread.find((x) => x.id === messageId);
  if (!m) throw new Error("message vanished");
  return m;
}

/** The customer closes a request: it is solved (a later reply opens it again). */
export async function closeRequest(ctx: Ctx, id: string) {
  const me = requireCustomer(ctx);
  await withTransaction(ctx, async (uow) => {
    const t = await visibleTicket(uow.tx, me, id, true);
    if (t.status === "solved" || t.status === "closed") return;
    await applyTicketChanges(uow, t, { status: "solved" }, { actor: me, via: { portal: true } });
  });
  return getRequest(ctx, id);
}

/** A new request from the portal: the web channel's ticket, its files, the acknowledgement. */
export async function createRequest(ctx: Ctx, input: z.infer<typeof ZNewRequest>, files: PortalFile[]) {
  const me = requireCustomer(ctx);
  checkFiles(files);
  const id = await withTransaction(ctx, async (uow) => {
    const { tx } = uow;
    const [requester] = await tx.select().from(contacts).where(eq(contacts.id, me.contactId));
    if (!requester) throw unauthenticated();
    const language = pickLocale(requester.language);
    const [created] = await createTickets(uow, [
      {
        input: {
          subject: input.subject,
          requester: { id: requester.id },
          channel: "web",
          priority: "normal",
          language,
          tags: [],
        },
        requester,
        message: {
          body: input.body,
          metadata: { portal: true },
          prepare: async (ticketId) => ({ attachmentIds: await storeFiles(uow.ctx, tx, ticketId, files) }),
        },
      },
    ]);
    if (!created) throw new Error("ticket vanished");
    const mailbox = await mailboxForTicket(tx, null);
    const [address] = await tx
      .select({ email: contactEmails.email })
      .from(contactEmails)
      .where(eq(contactEmails.contactId, requester.id))
      .orderBy(desc(contactEmails.isPrimary))
      .limit(1);
    if (mailbox?.ackEnabled && address)
      await queueAcknowledgement(tx, uow.ctx, {
        ticket: created.ticket,
        mailbox,
        to: address.email,
        inReplyTo: null,
      });
    await linkDeflections(tx, {
      sid: input.sid ?? null,
      contactId: requester.id,
      ticketId: created.ticket.id,
      at: uow.ctx.now(),
    });
    return created.ticket.id;
  });
  return getRequest(ctx, id);
}

/** An attachment of a message the customer may see (never one on an internal note). */
export async function portalAttachment(ctx: Ctx, id: string) {
  const me = requireCustomer(ctx);
  const [row] = await ctx.db
    .select({ a: attachments, internal: messages.internal })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .where(eq(attachments.id, id));
  if (!row || row.internal) throw notFound("Attachment");
  await visibleTicket(ctx.db, me, row.a.ticketId).catch(() => {
    throw notFound("Attachment");
  });
  return row.a;
}

// ---- Call-backs ------------------------------------------------------------------------------

const toCallback = (c: typeof callbacks.$inferSelect) => ({
  id: c.id,
  phone: c.phone,
  topic: c.topic,
  windowStart: c.windowStart?.toISOString() ?? null,
  windowEnd: c.windowEnd?.toISOString() ?? null,
  dueAt: c.dueAt.toISOString(),
  status: c.status as "open" | "done" | "cancelled",
  ticketId: c.ticketId,
});

export async function listCallbacks(ctx: Ctx) {
  const me = requireCustomer(ctx);
  const rows = await ctx.db
    .select()
    .from(callbacks)
    .where(eq(callbacks.contactId, me.contactId))
    .orderBy(desc(callbacks.createdAt))
    .limit(50);
  return rows.map(toCallback);
}

/** A local `YYYY-MM-DDTHH:MM` in the customer's (else the organization's) time zone, or an ISO instant. */
async function instantOf(ctx: Ctx, value: string, field: string): Promise<Date> {
  const local = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!local) {
    const parsed = z.iso.datetime({ offset: true }).safeParse(value);
    if (!parsed.success) throw badRequest("Not a valid date and time", { field });
    return new Date(value);
  }
  const me = requireCustomer(ctx);
  const [c] = await ctx.db
    .select({ tz: contacts.timeZone })
    .from(contacts)
    .where(eq(contacts.id, me.contactId));
  const tz = c?.tz ?? (await readSettings(ctx.db))?.timeZone ?? "UTC";
  const [, y, mo, d, h, mi] = local.map(Number) as number[];
  const wall = Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi);
  if (Number.isNaN(wall)) throw badRequest("Not a valid date and time", { field });
  return new Date(instantOfWallClock(wall, tz));
}

/** A call-back at a chosen time, through the call-back service (source `portal`). */
export async function requestPortalCallback(ctx: Ctx, input: z.infer<typeof ZPortalCallback>) {
  const me = requireCustomer(ctx);
  const phone = e164(input.phone);
  const windowStart = await instantOf(ctx, input.windowStart, "windowStart");
  const windowEnd = input.windowEnd
    ? await instantOf(ctx, input.windowEnd, "windowEnd")
    : new Date(windowStart.getTime() + 30 * 60_000);
  if (input.ticketId) await visibleTicket(ctx.db, me, input.ticketId);
  const [c] = await ctx.db
    .select({ name: contacts.name })
    .from(contacts)
    .where(eq(contacts.id, me.contactId));
  const row = await requestCallback(
    { ...ctx, actor: SYSTEM },
    {
      name: c?.name ?? "",
      phone,
      contactId: me.contactId,
      windowStart,
      windowEnd,
      topic: input.topic ?? "",
      source: "portal",
      ...(input.ticketId ? { ticketId: input.ticketId } : {}),
    },
  );
  return toCallback(row);
}

export async function cancelCallback(ctx: Ctx, id: string) {
  const me = requireCustomer(ctx);
  const [row] = await ctx.db
    .update(callbacks)
    .set({ status: "cancelled", outcome: "cancelled", completedAt: ctx.now(), updatedAt: ctx.now() })
    .where(and(eq(callbacks.id, id), eq(callbacks.contactId, me.contactId), eq(callbacks.status, "open")))
    .returning();
  if (row) return toCallback(row);
  const [exists] = await ctx.db
    .select()
    .from(callbacks)
    .where(and(eq(callbacks.id, id), eq(callbacks.contactId, me.contactId)));
  if (!exists) throw notFound("Call-back");
  throw new AppError("conflict", 409, "This call-back is no longer open");
}

// ---- Profile ---------------------------------------------------------------------------------

export async function getProfile(ctx: Ctx) {
  const me = requireCustomer(ctx);
  const [c] = await ctx.db.select().from(contacts).where(eq(contacts.id, me.contactId));
  if (!c) throw unauthenticated();
  const emails = await ctx.db
    .select({ email: contactEmails.email })
    .from(contactEmails)
    .where(eq(contactEmails.contactId, c.id))
    .orderBy(desc(contactEmails.isPrimary));
  const [phone] = await ctx.db
    .select({ phone: contactPhones.phone })
    .from(contactPhones)
    .where(eq(contactPhones.contactId, c.id))
    .limit(1);
  return {
    name: c.name,
    email: emails[0]?.email ?? "",
    phone: phone?.phone ?? null,
    language: pickLocale(c.language),
    /** The signed-in customer's own loyalty tier, benefits and points (never another's). */
    membership: await ownMembership(ctx.db, c.id),
  };
}

export async function updateProfile(ctx: Ctx, input: z.infer<typeof ZProfile>) {
  const me = requireCustomer(ctx);
  const phone = input.phone ? e164(input.phone) : input.phone;
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(contacts)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.language !== undefined ? { language: input.language } : {}),
        updatedAt: ctx.now(),
      })
      .where(eq(contacts.id, me.contactId));
    if (phone !== undefined) {
      await tx.delete(contactPhones).where(eq(contactPhones.contactId, me.contactId));
      if (phone) {
        const [taken] = await tx
          .select({ id: contactPhones.contactId })
          .from(contactPhones)
          .where(eq(contactPhones.phone, phone));
        if (taken)
          throw new AppError("conflict", 409, "This phone number belongs to another customer", {
            field: "phone",
          });
        await tx.insert(contactPhones).values({ contactId: me.contactId, phone });
      }
    }
  });
  return getProfile(ctx);
}

// ---- Agents: organization sharing -----------------------------------------------------------

export async function setOrganizationSharing(ctx: Ctx, organizationId: string, shareRequests: boolean) {
  requireCan(ctx.actor, "settings.manage");
  await ctx.db
    .insert(portalOrganizations)
    .values({ organizationId, shareRequests, updatedAt: ctx.now() })
    .onConflictDoUpdate({
      target: portalOrganizations.organizationId,
      set: { shareRequests, updatedAt: ctx.now() },
    })
    .catch((e: unknown) => {
      if (
        String(
          (e as { cause?: { code?: string }; code?: string }).cause?.code ?? (e as { code?: string }).code,
        ) === "23503"
      )
        throw notFound("Organization");
      throw e;
    });
  return { organizationId, shareRequests };
}
