import { createHmac } from "node:crypto";
import { and, asc, count, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import { randomToken, safeEqual, sha256 } from "../../auth/crypto.ts";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import { type Ctx, type Services, withActor } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { AppError, badRequest, notFound } from "../../lib/errors.ts";
import { textToHtml } from "../../lib/html.ts";
import { normalizePhone } from "../../lib/phone.ts";
import { insertContact, resolveRequester } from "../contacts/contacts.service.ts";
import { contactEmails } from "../contacts/contacts.table.ts";
import { mailboxForTicket, queue } from "../email/outbound.service.ts";
import { linkDeflections } from "../portal/deflection.service.ts";
import { ALWAYS_OPEN, type Calendar, isOpen, nextOpening } from "../sla/business-hours.ts";
import { teamMembers } from "../teams/teams.table.ts";
import { addTicketMessage } from "../tickets/pipeline.ts";
import { createTicket, loadVisibleTicket, updateTicket, writeEvent } from "../tickets/tickets.service.ts";
import { attachments, messages, tickets } from "../tickets/tickets.table.ts";
import { type Uow, withTransaction } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import { tierBadgeOf } from "../value/value.facts.ts";
import { ownMembership } from "../value/value.loyalty.ts";
import type { TMyChat, TSite, TSiteInput, TVisitorMessage } from "./chat.schema.ts";
import {
  type ChatHours,
  chatConversations,
  chatMessageKeys,
  chatSettings,
  chatSites,
  chatVisitors,
} from "./chat.table.ts";

type SiteRow = typeof chatSites.$inferSelect;
type VisitorRow = typeof chatVisitors.$inferSelect;
export type Conversation = typeof chatConversations.$inferSelect;

const system = (s: Services) => withActor(s, SYSTEM);

// ---------------------------------------------------------------- sites (admin)

export function snippetFor(publicUrl: string, key: string) {
  const base = publicUrl.replace(/\/$/, "");
  return `<script src="${base}/widget/loader.js" data-rapport-site="${key}" async></script>`;
}

function toSite(ctx: Services, r: SiteRow): TSite {
  return {
    id: r.id,
    name: r.name,
    key: r.key,
    secret: r.secret,
    snippet: snippetFor(ctx.config.publicUrl, r.key),
    allowedOrigins: r.allowedOrigins,
    appearance: r.appearance as TSite["appearance"],
    languages: r.languages as TSite["languages"],
    prechat: r.prechat,
    hours: r.hours as TSite["hours"],
    teamId: r.teamId,
    active: r.active,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function listSites(ctx: Ctx): Promise<TSite[]> {
  requireCan(ctx.actor, "chat.manage");
  const rows = await ctx.db.select().from(chatSites).orderBy(asc(chatSites.createdAt)).limit(200);
  return rows.map((r) => toSite(ctx, r));
}

export async function createSite(ctx: Ctx, input: TSiteInput): Promise<TSite> {
  requireCan(ctx.actor, "chat.manage");
  const [row] = await ctx.db
    .insert(chatSites)
    .values({ ...input, key: `rs_${randomToken(12)}`, secret: randomToken(32) })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return toSite(ctx, row);
}

export async function updateSite(ctx: Ctx, id: string, input: Partial<TSiteInput>): Promise<TSite> {
  requireCan(ctx.actor, "chat.manage");
  const [row] = await ctx.db
    .update(chatSites)
    .set({ ...input, updatedAt: ctx.now() })
    .where(eq(chatSites.id, id))
    .returning();
  if (!row) throw notFound("Site");
  return toSite(ctx, row);
}

export async function rotateSecret(ctx: Ctx, id: string): Promise<TSite> {
  requireCan(ctx.actor, "chat.manage");
  const [row] = await ctx.db
    .update(chatSites)
    .set({ secret: randomToken(32), updatedAt: ctx.now() })
    .where(eq(chatSites.id, id))
    .returning();
  if (!row) throw notFound("Site");
  return toSite(ctx, row);
}

export async function getSettings(db: DbOrTx) {
  const [row] = await db.select().from(chatSettings).where(eq(chatSettings.id, 1));
  return { maxChatsPerAgent: row?.maxChatsPerAgent ?? 3 };
}

export async function setSettings(ctx: Ctx, s: { maxChatsPerAgent: number }) {
  requireCan(ctx.actor, "chat.manage");
  await ctx.db
    .insert(chatSettings)
    .values({ id: 1, maxChatsPerAgent: s.maxChatsPerAgent })
    .onConflictDoUpdate({
      target: chatSettings.id,
      set: { maxChatsPerAgent: s.maxChatsPerAgent, updatedAt: ctx.now() },
    });
  return getSettings(ctx.db);
}

// ---------------------------------------------------------------- visitors

export async function siteByKey(db: DbOrTx, key: string): Promise<SiteRow> {
  const [site] = await db.select().from(chatSites).where(eq(chatSites.key, key));
  if (!site?.active) throw notFound("Site");
  return site;
}

/** Whether a page or socket origin may use the site: its allowed origins, or Rapport itself (the iframe). */
export function originAllowed(site: SiteRow, origin: string | undefined, publicUrl: string, host?: string) {
  if (!origin) return false;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (site.allowedOrigins.includes(o.origin)) return true;
  return o.origin === new URL(publicUrl).origin || (!!host && o.host === host);
}

/** The page that embeds the widget must be one of the site's allowed origins. */
export function pageOriginAllowed(site: SiteRow, pageOrigin: string | undefined) {
  if (!pageOrigin) return false;
  try {
    return site.allowedOrigins.includes(new URL(pageOrigin).origin);
  } catch {
    return false;
  }
}

export const identityPayload = (userId: string, email?: string) =>
  email ? `${userId}|${email.toLowerCase()}` : userId;
export const signIdentity = (secret: string, userId: string, email?: string) =>
  createHmac("sha256", secret).update(identityPayload(userId, email)).digest("hex");

/** Verifies a signed identity; unsigned or wrongly signed ones are refused (403). */
export function verifyIdentity(site: SiteRow, id: { userId: string; email?: string; signature?: string }) {
  if (!id.signature)
    throw new AppError("forbidden", 403, "The identity is not signed", { reason: "identity_unsigned" });
  const expected = signIdentity(site.secret, id.userId, id.email);
  if (!safeEqual(expected, id.signature.toLowerCase()))
    throw new AppError("forbidden", 403, "The identity signature is wrong", { reason: "identity_invalid" });
}

export const pickLocale = (site: SiteRow, wanted: string | undefined): string => {
  const langs = site.languages.length ? site.languages : ["en"];
  const base = (wanted ?? "").toLowerCase().split(/[-_]/)[0] ?? "";
  return langs.includes(base) ? base : (langs[0] ?? "en");
};

export async function visitorByToken(db: DbOrTx, token: string): Promise<VisitorRow | null> {
  if (!token || token.length > 200) return null;
  const [v] = await db
    .select()
    .from(chatVisitors)
    .where(eq(chatVisitors.tokenHash, sha256(token)));
  return v ?? null;
}

/**
 * Starts or resumes a visitor session. A token of another site starts a new visitor.
 * A signed identity links the visitor to the site user's contact.
 */
export async function openSession(
  services: Services,
  site: SiteRow,
  input: {
    token?: string;
    locale?: string;
    identity?: { userId: string; name?: string; email?: string; signature?: string };
  },
) {
  if (input.identity) verifyIdentity(site, input.identity);
  const locale = pickLocale(site, input.locale);
  let visitor = input.token ? await visitorByToken(services.db, input.token) : null;
  if (visitor && visitor.siteId !== site.id) visitor = null;
  // A verified identity that differs from the visitor's: a new visitor (another person on this browser).
  if (visitor && input.identity && visitor.externalId && visitor.externalId !== input.identity.userId)
    visitor = null;
  let token = input.token ?? "";
  if (!visitor) {
    token = randomToken(32);
    const [row] = await services.db
      .insert(chatVisitors)
      .values({ siteId: site.id, tokenHash: sha256(token), locale })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    visitor = row;
  }
  if (input.identity && visitor.externalId !== input.identity.userId) {
    const identity = input.identity;
    visitor = await services.db.transaction(async (tx) => {
      const [known] = await tx
        .select({ contactId: chatVisitors.contactId })
        .from(chatVisitors)
        .where(
          and(
            eq(chatVisitors.siteId, site.id),
            eq(chatVisitors.externalId, identity.userId),
            sql`${chatVisitors.contactId} is not null`,
          ),
        )
        .limit(1);
      const contactId =
        known?.contactId ??
        (identity.email
          ? (await resolveRequester(tx, { email: identity.email, name: identity.name })).id
          : (
              await insertContact(tx, {
                name: identity.name || identity.userId,
                emails: [],
                phones: [],
                notes: "",
                tags: [],
              })
            ).id);
      const [row] = await tx
        .update(chatVisitors)
        .set({
          externalId: identity.userId,
          contactId,
          name: identity.name ?? null,
          email: identity.email ?? null,
        })
        .where(eq(chatVisitors.id, (visitor as VisitorRow).id))
        .returning();
      return row as VisitorRow;
    });
  }
  await services.db
    .update(chatVisitors)
    .set({ lastSeenAt: services.now(), locale })
    .where(eq(chatVisitors.id, visitor.id));
  const conversation = await currentConversation(services.db, visitor.id);
  const avail = await availability(services, site);
  // The tier only to a visitor the site signed (their own contact), and only when the admin turned it on.
  const member =
    site.appearance.showTier && visitor.externalId && visitor.contactId
      ? (await ownMembership(services.db, visitor.contactId)).tier
      : null;
  return {
    token,
    visitor: { id: visitor.id, name: visitor.name, email: visitor.email, identified: !!visitor.externalId },
    member: member ? { tier: member.name } : null,
    locale,
    site: publicSiteConfig(site),
    online: avail.online,
    nextAnswerAt: avail.nextAnswerAt,
    conversation: conversation ? { ticketId: conversation.ticketId, state: conversation.state } : null,
    messages: conversation ? await visitorMessages(services.db, conversation.ticketId) : [],
  };
}

export function publicSiteConfig(site: SiteRow) {
  return {
    name: site.name,
    appearance: site.appearance,
    languages: site.languages,
    prechat: site.prechat,
  };
}

export async function updateProfile(
  services: Services,
  visitor: VisitorRow,
  p: { name?: string; email?: string; phone?: string; topic?: string },
) {
  let phone: string | undefined;
  if (p.phone?.trim()) {
    phone = normalizePhone(p.phone);
    if (!/^\+\d{6,15}$/.test(phone))
      throw badRequest("The phone number is not valid (use the international format)", { field: "phone" });
  }
  await services.db
    .update(chatVisitors)
    .set({
      ...(p.name ? { name: p.name } : {}),
      ...(p.email ? { email: p.email } : {}),
      ...(phone ? { phone } : {}),
    })
    .where(eq(chatVisitors.id, visitor.id));
  pendingTopics.set(visitor.id, p.topic ?? "");
  return { name: p.name ?? visitor.name, email: p.email ?? visitor.email, phone: phone ?? visitor.phone };
}
/** The pre-chat topic waits here until the first message opens the chat. */
const pendingTopics = new Map<string, string>();

// ---------------------------------------------------------------- availability and assignment

function calendarOf(site: SiteRow): Calendar {
  const h = site.hours as ChatHours | null;
  if (!h) return ALWAYS_OPEN;
  return { timeZone: h.timeZone, week: h.week as Calendar["week"], holidays: h.holidays };
}

async function onlineAgentIds(db: DbOrTx, site: SiteRow): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.active, true),
        eq(users.availability, "online"),
        site.teamId
          ? inArray(
              users.id,
              db
                .select({ id: teamMembers.userId })
                .from(teamMembers)
                .where(eq(teamMembers.teamId, site.teamId)),
            )
          : undefined,
      ),
    );
  return rows.map((r) => r.id);
}

/** Online when business hours are open and an agent is online; otherwise when the next answer comes. */
export async function availability(services: Services, site: SiteRow) {
  const now = services.now().getTime();
  const cal = calendarOf(site);
  const open = isOpen(cal, now);
  const agents = open ? await onlineAgentIds(services.db, site) : [];
  if (open && agents.length > 0) return { online: true, nextAnswerAt: null };
  // Outside hours: at the next opening. No agent online within hours: within 4 business hours.
  const next = open ? now + 4 * 3600_000 : nextOpening(cal, now);
  return { online: false, nextAnswerAt: new Date(next).toISOString() };
}

/** Live chats per agent, for the agents given. */
async function loads(db: DbOrTx, agentIds: string[]) {
  const m = new Map(agentIds.map((id) => [id, 0]));
  if (!agentIds.length) return m;
  const rows = await db
    .select({ assigneeId: tickets.assigneeId, n: count() })
    .from(chatConversations)
    .innerJoin(tickets, eq(tickets.id, chatConversations.ticketId))
    .where(
      and(
        eq(chatConversations.state, "live"),
        inArray(tickets.assigneeId, agentIds),
        inArray(tickets.status, ["new", "open", "pending"]),
      ),
    )
    .groupBy(tickets.assigneeId);
  for (const r of rows) if (r.assigneeId) m.set(r.assigneeId, Number(r.n));
  return m;
}

/** Of these agents, the least loaded under the per-agent limit (ties: the smallest id). */
function leastLoaded(ids: string[], byLoad: Map<string, number>, max: number): string | null {
  const best = ids
    .map((id) => [id, byLoad.get(id) ?? 0] as const)
    .filter(([, n]) => n < max)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0];
  return best?.[0] ?? null;
}

/** The least-loaded online agent under the per-agent limit (ties: the one with the smallest id). */
export async function pickAgent(services: Services, site: SiteRow, except?: string): Promise<string | null> {
  const ids = (await onlineAgentIds(services.db, site)).filter((id) => id !== except);
  const { maxChatsPerAgent } = await getSettings(services.db);
  return leastLoaded(ids, await loads(services.db, ids), maxChatsPerAgent);
}

/**
 * Assigns waiting live chats (unassigned, or assigned to an agent who is no longer online)
 * to available agents. Runs after each new chat and on a timer.
 */
export async function rebalance(services: Services): Promise<number> {
  const rows = await services.db
    .select({
      ticketId: chatConversations.ticketId,
      siteId: chatConversations.siteId,
      assigneeId: tickets.assigneeId,
    })
    .from(chatConversations)
    .innerJoin(tickets, eq(tickets.id, chatConversations.ticketId))
    .leftJoin(users, eq(users.id, tickets.assigneeId))
    .where(
      and(
        eq(chatConversations.state, "live"),
        inArray(tickets.status, ["new", "open", "pending"]),
        sql`(${tickets.assigneeId} is null or ${users.availability} <> 'online' or ${users.active} = false)`,
      ),
    )
    .orderBy(asc(chatConversations.createdAt))
    .limit(200);
  let moved = 0;
  if (rows.length === 0) return 0;
  // Online agents and their loads are read once per site and kept up to date here as chats
  // are assigned (the same choice as pickAgent after each assignment, without its three reads
  // per chat).
  const { maxChatsPerAgent } = await getSettings(services.db);
  const sites = new Map<string, string[] | null>();
  const byLoad = new Map<string, number>();
  for (const r of rows) {
    let agents = sites.get(r.siteId);
    if (agents === undefined) {
      const [site] = await services.db.select().from(chatSites).where(eq(chatSites.id, r.siteId));
      agents = site ? await onlineAgentIds(services.db, site) : null;
      sites.set(r.siteId, agents);
      const unknown = (agents ?? []).filter((id) => !byLoad.has(id));
      for (const [id, n] of await loads(services.db, unknown)) byLoad.set(id, n);
    }
    if (!agents) continue;
    const agent = leastLoaded(agents, byLoad, maxChatsPerAgent);
    if (!agent && !r.assigneeId) continue;
    // No one free: an offline agent's chat goes back to the queue (unassigned).
    if (agent === r.assigneeId) continue;
    await updateTicket(system(services), r.ticketId, { assigneeId: agent });
    if (agent) byLoad.set(agent, (byLoad.get(agent) ?? 0) + 1);
    if (r.assigneeId)
      await writeEvent(services.db, r.ticketId, SYSTEM, "chat.reassigned", {
        from: r.assigneeId,
        to: agent,
        reason: "agent_unavailable",
      });
    moved++;
  }
  return moved;
}

export async function transferChat(ctx: Ctx, ticketId: string, input: { assigneeId: string; note: string }) {
  const actor = requireAgent(ctx.actor);
  const [conv] = await ctx.db
    .select()
    .from(chatConversations)
    .where(eq(chatConversations.ticketId, ticketId));
  const ticket = await loadVisibleTicket(ctx.db, actor, ticketId);
  if (!conv) throw notFound("Chat");
  const [target] = await ctx.db
    .select({ id: users.id, name: users.name, active: users.active })
    .from(users)
    .where(eq(users.id, input.assigneeId));
  if (!target?.active) throw notFound("Agent");
  await updateTicket(ctx, ticketId, { assigneeId: target.id });
  await withTransaction(ctx, async (uow) => {
    const { tx } = uow;
    uow.record(ticketId, "chat.transferred", {
      from: ticket.assigneeId,
      to: target.id,
      toName: target.name,
      note: input.note,
    });
    const [fresh] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update");
    if (!fresh) throw notFound("Ticket");
    const note = `Chat transferred to ${target.name}${input.note ? `: ${input.note}` : ""}`;
    await addTicketMessage(uow, fresh, {
      body: note,
      internal: true,
      authorType: "agent",
      authorUserId: actor.userId,
      channel: "chat",
      metadata: { chatTransfer: { to: target.id } },
    });
  });
  return { ticketId, assigneeId: target.id };
}

// ---------------------------------------------------------------- conversations

export async function currentConversation(db: DbOrTx, visitorId: string): Promise<Conversation | null> {
  const [c] = await db
    .select({ conv: chatConversations, status: tickets.status })
    .from(chatConversations)
    .innerJoin(tickets, eq(tickets.id, chatConversations.ticketId))
    .where(eq(chatConversations.visitorId, visitorId))
    .orderBy(desc(chatConversations.createdAt))
    .limit(1);
  if (!c || c.status === "closed") return null;
  return c.conv;
}

/** The ticket of the visitor's latest chat, whatever its status (the rating asks about a solved one). */
export async function lastChatTicket(db: DbOrTx, visitorId: string): Promise<string | null> {
  const [c] = await db
    .select({ ticketId: chatConversations.ticketId })
    .from(chatConversations)
    .where(eq(chatConversations.visitorId, visitorId))
    .orderBy(desc(chatConversations.createdAt))
    .limit(1);
  return c?.ticketId ?? null;
}

/** The name visitors see for an agent: the chat name the agent set, else the full name. */
export async function chatNameOf(db: DbOrTx, userId: string): Promise<string> {
  const [row] = await db
    .select({ name: sql<string>`coalesce(${users.chatName}, ${users.name})` })
    .from(users)
    .where(eq(users.id, userId));
  return row?.name ?? "";
}

/** The conversation's public messages as the visitor sees them (text only), oldest first. */
export async function visitorMessages(
  db: DbOrTx,
  ticketId: string,
  ids?: string[],
): Promise<TVisitorMessage[]> {
  const rows = await db
    .select({ m: messages, userName: sql<string | null>`coalesce(${users.chatName}, ${users.name})` })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(
      and(
        eq(messages.ticketId, ticketId),
        eq(messages.internal, false),
        ids ? inArray(messages.id, ids) : undefined,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(200);
  rows.reverse();
  const mids = rows.map((r) => r.m.id);
  const files = mids.length
    ? await db.select().from(attachments).where(inArray(attachments.messageId, mids))
    : [];
  return rows.map(({ m, userName }) => ({
    id: m.id,
    author: m.authorType === "customer" ? "visitor" : m.authorType === "agent" ? "agent" : "system",
    // Agents are shown by their name as they set it ("Nguyễn Văn Bảo" is not "Nguyễn").
    name: m.authorType === "agent" ? (userName ?? "").trim() : "",
    text: m.bodyText,
    attachments: files
      .filter((f) => f.messageId === m.id)
      .map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size })),
    delivery: m.deliveryStatus ?? null,
    createdAt: m.createdAt.toISOString(),
  }));
}

async function contactFor(db: DbOrTx, visitor: VisitorRow): Promise<string> {
  if (visitor.contactId) return visitor.contactId;
  const contact =
    visitor.email || visitor.phone
      ? await resolveRequester(db, {
          ...(visitor.email ? { email: visitor.email } : {}),
          ...(visitor.phone ? { phone: visitor.phone } : {}),
          ...(visitor.name ? { name: visitor.name } : {}),
        })
      : await insertContact(db, {
          name: visitor.name || `Visitor ${visitor.id.slice(0, 6)}`,
          emails: [],
          phones: [],
          notes: "",
          tags: [],
        });
  await db.update(chatVisitors).set({ contactId: contact.id }).where(eq(chatVisitors.id, visitor.id));
  return contact.id;
}

const subjectOf = (text: string, topic?: string | null) => {
  const first = text.replace(/\s+/g, " ").trim().slice(0, 80) || "Chat";
  return (topic ? `${topic}: ${first}` : first).slice(0, 200);
};

/**
 * A visitor message: appended to the live conversation, or opens one (a ticket with
 * channel "chat", assigned to the least-loaded online agent).
 *
 * `clientId` is the widget's id of the message. The visitor's row is locked for the
 * transaction, so two sends of one visitor (a resend racing the original on another socket)
 * run one after the other; a client id already stored for one of the visitor's conversations
 * answers with that message (`duplicate: true`) and stores nothing. The primary key of
 * chat_message_keys (conversation, client id) backs this up in the database.
 */
export async function visitorSays(
  services: Services,
  visitorId: string,
  input: { text: string; attachmentIds?: string[]; clientId?: string; sid?: string },
): Promise<{ message: TVisitorMessage; ticketId: string; created: boolean; duplicate: boolean }> {
  const text = input.text.trim();
  if (!text && !input.attachmentIds?.length) throw badRequest("The message is empty");
  if (text.includes("\u0000")) throw badRequest("NUL characters are not allowed");
  const clientId = input.clientId || null;
  return withTransaction(system(services), async (uow) => {
    const { tx } = uow;
    const [visitor] = await tx
      .select()
      .from(chatVisitors)
      .where(eq(chatVisitors.id, visitorId))
      .for("update");
    if (!visitor) throw notFound("Visitor");
    if (clientId) {
      const [known] = await tx
        .select({ ticketId: chatMessageKeys.ticketId, messageId: chatMessageKeys.messageId })
        .from(chatMessageKeys)
        .innerJoin(chatConversations, eq(chatConversations.ticketId, chatMessageKeys.ticketId))
        .where(and(eq(chatConversations.visitorId, visitorId), eq(chatMessageKeys.clientId, clientId)));
      if (known) {
        const [message] = await visitorMessages(tx, known.ticketId, [known.messageId]);
        if (message) return { message, ticketId: known.ticketId, created: false, duplicate: true };
      }
    }
    const conv = await currentConversation(tx, visitorId);
    let out: { message: TVisitorMessage; ticketId: string; created: boolean };
    if (conv?.state !== "live")
      out = await openConversation(uow, visitor, text, input.attachmentIds, input.sid);
    else out = await appendToConversation(uow, conv.ticketId, text, input.attachmentIds);
    if (clientId)
      await tx
        .insert(chatMessageKeys)
        .values({ ticketId: out.ticketId, clientId, messageId: out.message.id });
    return { ...out, duplicate: false };
  });
}

/** The first message of a chat: the ticket, its conversation row and the message, in one unit of work. */
async function openConversation(
  uow: Uow,
  visitor: VisitorRow,
  text: string,
  attachmentIds?: string[],
  sid?: string,
) {
  if (attachmentIds?.length) throw badRequest("Start the chat with a message before sending files");
  const { tx, ctx } = uow;
  const [site] = await tx.select().from(chatSites).where(eq(chatSites.id, visitor.siteId));
  if (!site) throw notFound("Site");
  const contactId = await contactFor(tx, visitor);
  const topic = pendingTopics.get(visitor.id) || null;
  pendingTopics.delete(visitor.id);
  const agent = await pickAgent(ctx, site);
  const ticket = await createTicket(ctx, {
    subject: subjectOf(text, topic),
    requester: { id: contactId },
    message: { body: text || "(file)", internal: false, attachmentIds: [] },
    priority: "normal",
    channel: "chat",
    assigneeId: agent,
    teamId: site.teamId,
    tags: ["chat"],
    language: visitor.locale,
  });
  await tx
    .insert(chatConversations)
    .values({ ticketId: ticket.id, siteId: site.id, visitorId: visitor.id, state: "live", topic });
  // The articles the widget suggested before this message: followed by a request, shown to agents.
  if (sid) await linkDeflections(tx, { sid, contactId, ticketId: ticket.id, at: ctx.now() });
  const [first] = await visitorMessages(tx, ticket.id);
  if (!first) throw new Error("first message missing");
  return { message: first, ticketId: ticket.id, created: true };
}

async function appendToConversation(uow: Uow, ticketId: string, text: string, attachmentIds?: string[]) {
  const [t] = await uow.tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update");
  if (!t) throw notFound("Chat");
  const added = await addTicketMessage(uow, t, {
    body: text,
    internal: false,
    attachmentIds,
    authorType: "customer",
    authorContactId: t.requesterId,
    channel: "chat",
  });
  const row = added.message;
  // The ack is built from the row (a hot path); only files need a read.
  const message: TVisitorMessage = attachmentIds?.length
    ? ((await visitorMessages(uow.tx, ticketId, [row.id]))[0] as TVisitorMessage)
    : {
        id: row.id,
        author: "visitor",
        name: "",
        text: row.bodyText,
        attachments: [],
        delivery: null,
        createdAt: row.createdAt.toISOString(),
      };
  return { message, ticketId, created: false };
}

/** Offline: the message becomes a ticket answered by email (channel email, tagged chat-offline). */
export async function leaveOfflineMessage(
  services: Services,
  visitor: VisitorRow,
  input: { name?: string; email: string; message: string },
) {
  const ctx = system(services);
  const ticket = await createTicket(ctx, {
    subject: subjectOf(input.message),
    requester: { email: input.email, ...(input.name ? { name: input.name } : {}) },
    message: { body: input.message, internal: false, attachmentIds: [] },
    priority: "normal",
    channel: "email",
    tags: ["chat", "chat-offline"],
    language: visitor.locale,
  });
  await services.db
    .update(chatVisitors)
    .set({ email: input.email, ...(input.name ? { name: input.name } : {}) })
    .where(eq(chatVisitors.id, visitor.id));
  await services.db
    .insert(chatConversations)
    .values({ ticketId: ticket.id, siteId: visitor.siteId, visitorId: visitor.id, state: "offline" });
  return { ticketId: ticket.id, number: ticket.number };
}

/** Marks agent messages delivered or read on the visitor's side. */
export async function markDelivery(
  db: DbOrTx,
  visitorId: string,
  messageId: string,
  status: "delivered" | "read",
  at: Date,
) {
  // Only agent messages of this visitor's own chats; "read" never goes back to "delivered".
  const result = await db.execute(sql`
    update messages m set delivery_status = ${status}, delivery_updated_at = ${at}
    from chat_conversations c
    where m.id = ${messageId} and c.ticket_id = m.ticket_id and c.visitor_id = ${visitorId}
      and m.author_type = 'agent' and m.internal = false
      and (m.delivery_status is null or m.delivery_status not in ('read', ${status}))
    returning m.id`);
  if (status === "read")
    await db
      .update(chatConversations)
      .set({ visitorReadAt: at })
      .where(and(eq(chatConversations.visitorId, visitorId)));
  return result;
}

/** Emails the conversation to the visitor (their pre-chat email or the one they give). */
export async function sendTranscript(services: Services, visitor: VisitorRow, email?: string) {
  const to = email ?? visitor.email;
  if (!to) throw badRequest("An email address is needed", { field: "email" });
  const conv = await lastConversation(services.db, visitor.id);
  if (!conv) throw notFound("Chat");
  const list = await visitorMessages(services.db, conv.ticketId);
  const [t] = await services.db.select().from(tickets).where(eq(tickets.id, conv.ticketId));
  if (!t) throw notFound("Chat");
  const lines = list.map(
    (m) =>
      `[${m.createdAt.slice(0, 16).replace("T", " ")} UTC] ${m.author === "visitor" ? "You" : m.name || "Support"}: ${m.text}${
        m.attachments.length ? ` (${m.attachments.map((a) => a.filename).join(", ")})` : ""
      }`,
  );
  const text = `Your chat #${t.number}\n\n${lines.join("\n")}\n`;
  await services.db.transaction(async (tx) => {
    await queue(tx, {
      kind: "transcript" as Parameters<typeof queue>[1]["kind"],
      mailbox: await mailboxForTicket(tx, null),
      ticketId: t.id,
      messageId: null,
      id: crypto.randomUUID(),
      to: [to],
      cc: [],
      subject: `Chat transcript [#${t.number}]`,
      inReplyTo: null,
      references: [],
      replyTo: null,
      text,
      html: textToHtml(text),
    });
    await writeEvent(tx, t.id, SYSTEM, "chat.transcript_sent", { to });
  });
  return { to };
}

async function lastConversation(db: DbOrTx, visitorId: string) {
  const [c] = await db
    .select()
    .from(chatConversations)
    .where(eq(chatConversations.visitorId, visitorId))
    .orderBy(desc(chatConversations.createdAt))
    .limit(1);
  return c ?? null;
}

/** The visitor may download an attachment of their own chat only. */
export async function visitorAttachment(db: DbOrTx, visitorId: string, attachmentId: string) {
  const [row] = await db
    .select({ a: attachments })
    .from(attachments)
    .innerJoin(chatConversations, eq(chatConversations.ticketId, attachments.ticketId))
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .where(
      and(
        eq(attachments.id, attachmentId),
        eq(chatConversations.visitorId, visitorId),
        eq(messages.internal, false),
      ),
    );
  if (!row) throw notFound("Attachment");
  return row.a;
}

/** The chat a ticket belongs to (agents: typing indicator, transfer). */
export async function conversationOfTicket(ctx: Ctx, ticketId: string) {
  const actor = requireAgent(ctx.actor);
  await loadVisibleTicket(ctx.db, actor, ticketId);
  const [c] = await ctx.db.select().from(chatConversations).where(eq(chatConversations.ticketId, ticketId));
  if (!c) throw notFound("Chat");
  return c;
}

export async function visitorContactEmail(db: DbOrTx, contactId: string) {
  const [e] = await db
    .select({ email: contactEmails.email })
    .from(contactEmails)
    .where(eq(contactEmails.contactId, contactId))
    .limit(1);
  return e?.email ?? null;
}

/**
 * A live chat of an agent: the conversation is live and its ticket, assigned to the agent, is
 * not solved. The one condition behind both the agent's list and the counts (badge, transfer).
 */
const liveChatOf = (userId: SQL | string) =>
  sql`c.state = 'live' and t.assignee_id = ${userId} and t.status in ('new', 'open', 'pending')`;

/**
 * My live chats with readable names: the visitor's name, else their email, else the site they
 * chat from ("Visitor on Shop"), newest first.
 */
export async function myLiveChats(ctx: Ctx): Promise<TMyChat[]> {
  const me = requireAgent(ctx.actor);
  const res = await ctx.db.execute(sql`select c.ticket_id as "ticketId", t.number, t.subject,
      v.name as "visitorName", v.email as "visitorEmail", s.name as "siteName", c.topic,
      c.created_at as "startedAt", ${tierBadgeOf(sql`t.requester_id`)} as tier
    from chat_conversations c
    join tickets t on t.id = c.ticket_id
    join chat_visitors v on v.id = c.visitor_id
    join chat_sites s on s.id = c.site_id
    where ${liveChatOf(me.userId)}
    order by c.created_at desc limit 100`);
  return (
    res as unknown as { rows: Array<TMyChat & { startedAt: Date | string; number: number | string }> }
  ).rows.map((r) => ({ ...r, number: Number(r.number), startedAt: new Date(r.startedAt).toISOString() }));
}

/** Active agents with their availability and live chats (transfer targets, the availability badge). */
export async function listChatAgents(ctx: Ctx) {
  requireAgent(ctx.actor);
  const rows = await ctx.db
    .select({
      id: users.id,
      name: users.name,
      availability: users.availability,
      liveChats: sql<number>`(select count(*)::int from ${chatConversations} c join ${tickets} t on t.id = c.ticket_id
        where ${liveChatOf(sql`${users.id}`)})`,
    })
    .from(users)
    .where(eq(users.active, true))
    .orderBy(users.name)
    .limit(500);
  return rows.map((r) => ({ ...r, liveChats: Number(r.liveChats) }));
}
