import { type Locale, UNSOLVED_STATUSES } from "@rapport/shared";
import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import { randomToken, sha256 } from "../../auth/crypto.ts";
import { requireCan, type Staff, ticketScope } from "../../auth/policies.ts";
import type { Ctx, Services } from "../../context.ts";
import { withActor } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueueMany } from "../../jobs/queue.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { AppError, badRequest, notFound } from "../../lib/errors.ts";
import { escapeHtml, textToHtml } from "../../lib/html.ts";
import { runTriggers } from "../automations/triggers.service.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { mailboxForTicket, queue as queueEmail } from "../email/outbound.service.ts";
import { fill, pickLocale } from "../email/templates.ts";
import { readSettings } from "../settings/settings.service.ts";
import { teams } from "../teams/teams.table.ts";
import type { AddedMessage, UpdatedTicket } from "../tickets/pipeline.ts";
import { runStepsAfterTriggers } from "../tickets/pipeline.ts";
import { pipelineSettings } from "../tickets/settings.ts";
import { asStaff, loadVisibleTicket, type TicketRow } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { type Uow, withTransaction } from "../tickets/unit-of-work.ts";
import { users } from "../users/users.table.ts";
import { queueDeliveries, subscribers } from "../webhooks/webhooks.service.ts";
import { scaleOptions } from "./csat.i18n.ts";
import type {
  TCsatSettings,
  TPublicAnswer,
  TReasonInput,
  TResponsesQuery,
  TUpdateCsatSettings,
} from "./csat.schema.ts";
import { csatReasons, csatSettings, csatSkips, csatSurveys } from "./csat.table.ts";
import { surveyStrings } from "./templates.service.ts";

export const SEND_SURVEY_JOB = "csat.send";
/** Tags that keep a ticket out of surveys (spam, a ticket merged into another). */
export const NO_SURVEY_TAGS = ["spam", "merged"];
const DEFAULTS: TCsatSettings = {
  enabled: true,
  delayMinutes: 60,
  expiryDays: 7,
  scale: "good_bad",
  channels: ["email", "web", "chat", "phone"],
};

export type SurveyRow = typeof csatSurveys.$inferSelect;

// ---- settings and reasons (admins)

export async function loadCsatSettings(db: DbOrTx): Promise<TCsatSettings> {
  const [row] = await db.select().from(csatSettings).where(eq(csatSettings.id, 1));
  return csatSettingsOf(row);
}

/** The settings row in its API shape (the defaults when an admin never saved any). */
export function csatSettingsOf(row: typeof csatSettings.$inferSelect | undefined): TCsatSettings {
  if (!row) return DEFAULTS;
  return {
    enabled: row.enabled,
    delayMinutes: row.delayMinutes,
    expiryDays: row.expiryDays,
    scale: row.scale as TCsatSettings["scale"],
    channels: row.channels as TCsatSettings["channels"],
  };
}

export async function getCsatSettings(ctx: Ctx) {
  requireCan(ctx.actor, "csat.read");
  return loadCsatSettings(ctx.db);
}

export async function updateCsatSettings(ctx: Ctx, patch: TUpdateCsatSettings) {
  requireCan(ctx.actor, "csat.manage");
  const next = { ...(await loadCsatSettings(ctx.db)), ...patch };
  await ctx.db
    .insert(csatSettings)
    .values({ id: 1, ...next })
    .onConflictDoUpdate({ target: csatSettings.id, set: { ...next, updatedAt: ctx.now() } });
  return next;
}

const reasonOut = (r: typeof csatReasons.$inferSelect) => ({
  id: r.id,
  labels: r.labels,
  position: r.position,
  active: r.active,
});

export async function listReasons(ctx: Ctx) {
  requireCan(ctx.actor, "csat.read");
  const rows = await ctx.db
    .select()
    .from(csatReasons)
    .orderBy(asc(csatReasons.position), asc(csatReasons.createdAt));
  return { items: rows.map(reasonOut) };
}

export async function createReason(ctx: Ctx, input: TReasonInput) {
  requireCan(ctx.actor, "csat.manage");
  const [row] = await ctx.db.insert(csatReasons).values(input).returning();
  if (!row) throw new Error("insert returned nothing");
  return reasonOut(row);
}

export async function updateReason(ctx: Ctx, id: string, input: Partial<TReasonInput>) {
  requireCan(ctx.actor, "csat.manage");
  const [row] = await ctx.db.update(csatReasons).set(input).where(eq(csatReasons.id, id)).returning();
  if (!row) throw notFound("Reason");
  return reasonOut(row);
}

/** The label of a reason in a language, else English, else any. */
const labelIn = (labels: Record<string, string>, lang: string) =>
  labels[lang] ?? labels.en ?? Object.values(labels)[0] ?? "";

// ---- the pipeline: scheduled on solve, discarded on reopen

const isSolved = (s: string) => s === "solved" || s === "closed";
const isUnsolved = (s: string) => (UNSOLVED_STATUSES as readonly string[]).includes(s);

/** Why a solved ticket gets no survey (null: it gets one). */
export function ineligible(t: TicketRow, s: TCsatSettings): string | null {
  if (!s.enabled) return "disabled";
  // A service self-check's ticket (modules/selfchecks): the "customer" is Rapport itself.
  if (t.selfCheckRunId) return "self_check";
  if (!(s.channels as string[]).includes(t.channel)) return "channel";
  if (t.tags.some((tag) => NO_SURVEY_TAGS.includes(tag))) return "excluded_tag";
  // Agent-only: the customer never wrote and was never answered in public.
  if (!t.lastCustomerMessageAt && !t.firstResponseAt) return "agent_only";
  return null;
}

async function discardOpen(tx: DbOrTx, ticketIds: string[]) {
  if (ticketIds.length === 0) return [];
  return tx
    .update(csatSurveys)
    .set({ status: "discarded" })
    .where(and(inArray(csatSurveys.ticketId, ticketIds), inArray(csatSurveys.status, ["scheduled", "sent"])))
    .returning({ id: csatSurveys.id, ticketId: csatSurveys.ticketId });
}

/**
 * Update step (after SLA, before webhooks): a ticket moving to solved gets one survey for this
 * resolution, sent `delayMinutes` later (chat: at once, the chat has ended) by a job inserted in
 * this transaction; a solved ticket reopened discards its unanswered survey. Costs, per unit:
 * the settings (once), one insert that skips tickets an agent excluded, one job insert.
 */
export async function csatOnUpdate(uow: Uow, items: UpdatedTicket[]) {
  const reopened = items.filter((i) => isSolved(i.prev.status) && isUnsolved(i.ticket.status));
  await discardReopened(
    uow,
    reopened.map((i) => i.ticket.id),
  );
  const solved = items.filter((i) => i.ticket.status === "solved" && !isSolved(i.prev.status));
  if (solved.length === 0 || uow.quiet) return;
  await scheduleSurveys(
    uow,
    solved.map((i) => i.ticket),
  );
}

/** Message step: a customer's reply that reopens a solved ticket discards its survey. */
export async function csatOnMessage(uow: Uow, items: AddedMessage[]) {
  await discardReopened(
    uow,
    items
      .filter((i) => i.statusChange && isSolved(i.statusChange.from) && isUnsolved(i.statusChange.to))
      .map((i) => i.before.id),
  );
}

async function discardReopened(uow: Uow, ticketIds: string[]) {
  for (const d of await discardOpen(uow.tx, ticketIds))
    uow.record(d.ticketId, "csat.discarded", { surveyId: d.id, reason: "reopened" }, SYSTEM);
}

async function scheduleSurveys(uow: Uow, solved: TicketRow[]) {
  const s = csatSettingsOf((await pipelineSettings(uow)).csat);
  const now = uow.ctx.now();
  const eligible = solved.filter((t) => ineligible(t, s) === null);
  if (eligible.length === 0) return;
  const values = eligible.map((t) => {
    const sendAt = new Date(now.getTime() + (t.channel === "chat" ? 0 : s.delayMinutes * 60_000));
    return sql`(${t.id}::uuid, ${t.requesterId}::uuid, ${t.assigneeId}::uuid, ${t.teamId}::uuid,
      ${t.channel}::channel, ${pickLocale(t.language)}, ${s.scale}, ${now.toISOString()}::timestamptz,
      ${sendAt.toISOString()}::timestamptz)`;
  });
  const res = await uow.tx.execute(sql`insert into csat_surveys
      (ticket_id, contact_id, agent_id, team_id, channel, language, scale, solved_at, send_at)
    select v.* from (values ${sql.join(values, sql`, `)})
      as v(ticket_id, contact_id, agent_id, team_id, channel, language, scale, solved_at, send_at)
    where not exists (select 1 from csat_skips k where k.ticket_id = v.ticket_id)
    on conflict do nothing
    returning id, ticket_id as "ticketId", send_at as "sendAt"`);
  const rows = (res as unknown as { rows: Array<{ id: string; ticketId: string; sendAt: string | Date }> })
    .rows;
  if (rows.length === 0) return;
  await enqueueMany(
    uow.tx,
    SEND_SURVEY_JOB,
    rows.map((r) => ({
      payload: { surveyId: r.id },
      runAt: new Date(r.sendAt),
      dedupeKey: `csat:${r.id}`,
    })),
  );
  for (const r of rows)
    uow.record(
      r.ticketId,
      "csat.scheduled",
      { surveyId: r.id, sendAt: new Date(r.sendAt).toISOString() },
      SYSTEM,
    );
}

// ---- sending

export const surveyUrl = (publicUrl: string, token: string, rating?: string) =>
  `${publicUrl.replace(/\/$/, "")}/survey/${token}${rating ? `?rating=${encodeURIComponent(rating)}` : ""}`;

/**
 * The send job: a scheduled survey of a ticket still solved gets a token (its SHA-256 stored)
 * and goes out by email in the customer's language with one link per rating, each of which
 * only opens the confirmation page (chat surveys too, at once when the chat is solved).
 */
export async function sendSurvey(services: Services, surveyId: string) {
  const ctx = withActor(services, SYSTEM);
  await withTransaction(ctx, async (uow) => {
    const [row] = await uow.tx
      .select({
        survey: csatSurveys,
        ticket: tickets,
        contactName: contacts.name,
        contactLanguage: contacts.language,
        email: sql<
          string | null
        >`(select ce.email from contact_emails ce where ce.contact_id = ${contacts.id} order by ce.is_primary desc, ce.created_at limit 1)`,
        skipped: sql<boolean>`exists (select 1 from csat_skips k where k.ticket_id = ${csatSurveys.ticketId})`,
        merged: sql<boolean>`exists (select 1 from ticket_links l where l.ticket_id = ${csatSurveys.ticketId} and l.kind = 'merged')`,
      })
      .from(csatSurveys)
      .innerJoin(tickets, eq(tickets.id, csatSurveys.ticketId))
      .leftJoin(contacts, eq(contacts.id, csatSurveys.contactId))
      .where(eq(csatSurveys.id, surveyId))
      .for("update", { of: csatSurveys });
    if (!row || row.survey.status !== "scheduled") return;
    const { survey, ticket } = row;
    const discard = async (reason: string) => {
      await uow.tx.update(csatSurveys).set({ status: "discarded" }).where(eq(csatSurveys.id, survey.id));
      uow.record(ticket.id, "csat.discarded", { surveyId: survey.id, reason });
    };
    if (!isSolved(ticket.status)) return discard("reopened");
    if (row.skipped) return discard("skipped");
    if (row.merged) return discard("merged");
    const s = await loadCsatSettings(uow.tx);
    const org = await readSettings(uow.tx);
    const locale = pickLocale(ticket.language ?? row.contactLanguage ?? org?.defaultLanguage);
    const token = randomToken();
    const now = uow.ctx.now();
    const expiresAt = new Date(now.getTime() + s.expiryDays * 86_400_000);
    if (!row.email) return discard("no_address");
    await queueSurveyEmail(uow, {
      survey,
      ticket,
      to: row.email,
      name: row.contactName ?? row.email,
      locale,
      token,
      days: s.expiryDays,
      organization: org?.name ?? "Rapport",
    });
    await uow.tx
      .update(csatSurveys)
      .set({ status: "sent", tokenHash: sha256(token), sentAt: now, expiresAt, language: locale })
      .where(eq(csatSurveys.id, survey.id));
    uow.record(ticket.id, "csat.sent", { surveyId: survey.id, channel: ticket.channel, language: locale });
  });
}

async function queueSurveyEmail(
  uow: Uow,
  m: {
    survey: SurveyRow;
    ticket: TicketRow;
    to: string;
    name: string;
    locale: Locale;
    token: string;
    days: number;
    organization: string;
  },
) {
  const str = await surveyStrings(uow.tx, m.locale);
  const base = uow.ctx.config.publicUrl;
  const values = { number: m.ticket.number, subject: m.ticket.subject, name: m.name, days: m.days };
  const options = scaleOptions(m.survey.scale, str).reverse();
  const intro = fill(str.emailIntro, values);
  const outro = fill(str.emailOutro, values);
  const text = [
    intro,
    ...options.map((o) => `${o.label}: ${surveyUrl(base, m.token, o.value)}`),
    outro,
    `— ${m.organization}`,
  ].join("\n\n");
  const buttons = options
    .map(
      (o) =>
        `<a href="${escapeHtml(surveyUrl(base, m.token, o.value))}" style="display:inline-block;margin:4px;padding:10px 16px;border-radius:6px;background:${o.value === "good" || o.value === "5" || o.value === "4" ? "#2f9e44" : o.value === "3" ? "#868e96" : "#e03131"};color:#fff;text-decoration:none">${escapeHtml(o.label)}</a>`,
    )
    .join(" ");
  const mailbox = await mailboxForTicket(uow.tx, m.ticket.id);
  await queueEmail(uow.tx, {
    kind: "survey",
    mailbox,
    ticketId: m.ticket.id,
    messageId: null,
    id: crypto.randomUUID(),
    to: [m.to],
    cc: [],
    subject: fill(str.emailSubject, values),
    inReplyTo: null,
    references: [],
    replyTo: null,
    text,
    html: `<div lang="${m.locale}">${textToHtml(intro)}<p>${buttons}</p>${textToHtml(outro)}<p>— ${escapeHtml(m.organization)}</p></div>`,
  });
}

// ---- the customer's answer (public, by token)

/** A survey by its token; forged, answered, discarded and expired tokens are refused. */
async function openSurvey(db: DbOrTx, token: string, now: Date, lock = false) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound("Survey");
  const q = db
    .select({ survey: csatSurveys, number: tickets.number, subject: tickets.subject })
    .from(csatSurveys)
    .innerJoin(tickets, eq(tickets.id, csatSurveys.ticketId))
    .where(eq(csatSurveys.tokenHash, sha256(token)));
  const [row] = lock ? await q.for("update", { of: csatSurveys }) : await q;
  if (!row) throw notFound("Survey");
  return assertOpen(row, ["sent"], now);
}

type SurveyWithTicket = { survey: SurveyRow; number: number; subject: string };

/** A survey still to answer (one of `open` statuses, unexpired), else 409 answered / 410 closed or expired. */
function assertOpen<T extends SurveyWithTicket>(row: T, open: string[], now: Date): T {
  const { survey } = row;
  if (survey.status === "answered")
    throw new AppError("conflict", 409, "This survey has already been answered", {
      reason: "answered",
      language: survey.language,
    });
  if (!open.includes(survey.status))
    throw new AppError("invalid_token", 410, "This survey is no longer open", {
      reason: "closed",
      language: survey.language,
    });
  if (survey.expiresAt && survey.expiresAt <= now)
    throw new AppError("invalid_token", 410, "This survey has expired", {
      reason: "expired",
      language: survey.language,
    });
  return row;
}

/** What the survey page shows: the question, the scale's answers and the reasons, in the survey's language. */
export async function publicSurvey(services: Services, token: string, lang?: string) {
  return surveyView(services, await openSurvey(services.db, token, services.now()), lang);
}

async function surveyView(services: Services, row: SurveyWithTicket, lang?: string) {
  const locale = pickLocale(lang ?? row.survey.language);
  const str = await surveyStrings(services.db, locale);
  const reasons = await services.db
    .select()
    .from(csatReasons)
    .where(eq(csatReasons.active, true))
    .orderBy(asc(csatReasons.position), asc(csatReasons.createdAt));
  const org = await readSettings(services.db);
  return {
    status: "open" as const,
    language: locale,
    scale: row.survey.scale as "good_bad" | "five",
    organization: org?.name ?? "Rapport",
    ticket: { number: row.number, subject: row.subject },
    question: fill(str.question, { number: row.number }),
    options: scaleOptions(row.survey.scale, str),
    reasons: reasons.map((r) => ({ id: r.id, label: labelIn(r.labels, locale) })),
    expiresAt: (
      row.survey.expiresAt ??
      new Date(row.survey.sendAt.getTime() + (await loadCsatSettings(services.db)).expiryDays * 86_400_000)
    ).toISOString(),
  };
}

/** The stored rating of an answer on a scale, or a 400. */
export function parseRating(scale: string, rating: string | number): { rating: number; good: boolean } {
  const v = String(rating);
  if (scale === "five") {
    if (!/^[1-5]$/.test(v)) throw badRequest("Rate from 1 to 5", { field: "rating" });
    const n = Number(v);
    return { rating: n, good: n >= 4 };
  }
  if (v !== "good" && v !== "bad") throw badRequest('Rate "good" or "bad"', { field: "rating" });
  return { rating: v === "good" ? 1 : 0, good: v === "good" };
}

/**
 * Records a customer's rating (once): on the survey, the ticket's timeline, `csat.rated`
 * triggers (which may notify or reopen) and webhooks, all in one unit of work.
 */
export async function answerSurvey(services: Services, token: string, input: TPublicAnswer) {
  const ctx = withActor(services, SYSTEM);
  return withTransaction(ctx, async (uow) =>
    recordAnswer(uow, await openSurvey(uow.tx, token, uow.ctx.now(), true), input, "link"),
  );
}

/**
 * A ticket's survey answered where the customer already is (issue 16: "Chat: the rating
 * inline when the chat ends. Portal: on solved requests"): the latest survey of the ticket,
 * still scheduled or sent and unexpired. The caller has established that the customer owns
 * the ticket (the chat widget by the visitor's token, the portal by the signed-in contact);
 * this service trusts `ticketId` and nothing else.
 */
async function openSurveyOfTicket(db: DbOrTx, ticketId: string, now: Date, lock = false) {
  const q = db
    .select({ survey: csatSurveys, number: tickets.number, subject: tickets.subject })
    .from(csatSurveys)
    .innerJoin(tickets, eq(tickets.id, csatSurveys.ticketId))
    .where(eq(csatSurveys.ticketId, ticketId))
    .orderBy(desc(csatSurveys.createdAt))
    .limit(1);
  const [row] = lock ? await q.for("update", { of: csatSurveys }) : await q;
  if (!row || row.survey.status === "discarded") throw notFound("Survey");
  return assertOpen(row, ["scheduled", "sent"], now);
}

/** The survey of a solved ticket as the widget or portal shows it (404 when none is open). */
export async function ticketSurvey(services: Services, ticketId: string, lang?: string) {
  return surveyView(services, await openSurveyOfTicket(services.db, ticketId, services.now()), lang);
}

/** Records the customer's answer to their ticket's survey from the chat widget or the portal. */
export async function answerTicketSurvey(
  services: Services,
  ticketId: string,
  input: TPublicAnswer,
  via: "chat" | "portal",
) {
  const ctx = withActor(services, SYSTEM);
  return withTransaction(ctx, async (uow) =>
    recordAnswer(uow, await openSurveyOfTicket(uow.tx, ticketId, uow.ctx.now(), true), input, via),
  );
}

async function recordAnswer(
  uow: Uow,
  row: SurveyWithTicket,
  input: TPublicAnswer,
  via: "link" | "chat" | "portal",
) {
  const { survey } = row;
  const { rating, good } = parseRating(survey.scale, input.rating);
  let reasonId: string | null = null;
  if (input.reasonId) {
    if (good) throw badRequest("A reason goes with a bad rating only", { field: "reasonId" });
    const [reason] = await uow.tx
      .select({ id: csatReasons.id })
      .from(csatReasons)
      .where(and(eq(csatReasons.id, input.reasonId), eq(csatReasons.active, true)));
    if (!reason) throw badRequest("Unknown reason", { field: "reasonId" });
    reasonId = reason.id;
  }
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  const now = uow.ctx.now();
  const [updated] = await uow.tx
    .update(csatSurveys)
    .set({ status: "answered", rating, good, comment, reasonId, ratedAt: now, sentAt: survey.sentAt ?? now })
    .where(eq(csatSurveys.id, survey.id))
    .returning();
  if (!updated) throw notFound("Survey");
  const data = { surveyId: survey.id, rating, good, scale: survey.scale, comment, reasonId, via };
  uow.record(survey.ticketId, "csat.rated", data, SYSTEM);
  const hooks = await subscribers(uow.tx, ["csat.rated"]);
  if (hooks.length)
    await queueDeliveries(
      uow.tx,
      hooks.map((webhookId) => ({
        webhookId,
        event: "csat.rated" as const,
        data: {
          survey: {
            id: survey.id,
            scale: survey.scale,
            rating,
            good,
            comment,
            reasonId,
            ratedAt: now.toISOString(),
          },
          ticket: { id: survey.ticketId, number: row.number },
          agentId: survey.agentId,
          teamId: survey.teamId,
        },
      })),
    );
  const [ticket] = await uow.tx.select().from(tickets).where(eq(tickets.id, survey.ticketId)).for("update");
  if (ticket) {
    const item = { ticket, changes: {} };
    await runTriggers(uow, item, "csat.rated", { csat: { rating, good, comment, scale: survey.scale } });
    if (Object.keys(item.changes).length > 0)
      await runStepsAfterTriggers(uow, [
        { prev: ticket, ticket: item.ticket, changes: item.changes, confirmations: [] },
      ]);
  }
  return { status: "answered" as const, rating, good, language: survey.language };
}

// ---- agents: a ticket's surveys, skipping one, the responses list

const surveyOut = (
  s: SurveyRow,
  now: Date,
  extra: { reasonLabels?: Record<string, string> | null; agentName?: string | null } = {},
) => ({
  id: s.id,
  ticketId: s.ticketId,
  status: s.status === "sent" && s.expiresAt && s.expiresAt <= now ? ("expired" as const) : s.status,
  channel: s.channel,
  language: s.language,
  scale: s.scale,
  rating: s.rating,
  good: s.good,
  comment: s.comment,
  reason: s.reasonId ? { id: s.reasonId, label: labelIn(extra.reasonLabels ?? {}, s.language) } : null,
  agent: s.agentId ? { id: s.agentId, name: extra.agentName ?? "" } : null,
  teamId: s.teamId,
  solvedAt: s.solvedAt.toISOString(),
  sendAt: s.sendAt.toISOString(),
  sentAt: s.sentAt?.toISOString() ?? null,
  expiresAt: s.expiresAt?.toISOString() ?? null,
  ratedAt: s.ratedAt?.toISOString() ?? null,
});

export async function ticketCsat(ctx: Ctx, ticketId: string) {
  const actor = asStaff(ctx.actor);
  await loadVisibleTicket(ctx.db, actor, ticketId);
  const [rows, skip] = await Promise.all([
    ctx.db
      .select({ s: csatSurveys, reasonLabels: csatReasons.labels, agentName: users.name })
      .from(csatSurveys)
      .leftJoin(csatReasons, eq(csatReasons.id, csatSurveys.reasonId))
      .leftJoin(users, eq(users.id, csatSurveys.agentId))
      .where(eq(csatSurveys.ticketId, ticketId))
      .orderBy(desc(csatSurveys.createdAt))
      .limit(50),
    ctx.db.select().from(csatSkips).where(eq(csatSkips.ticketId, ticketId)),
  ]);
  return {
    skipped: skip.length > 0,
    surveys: rows.map((r) =>
      surveyOut(r.s, ctx.now(), { reasonLabels: r.reasonLabels, agentName: r.agentName }),
    ),
  };
}

/** An agent takes one ticket out of surveying (Chatwoot #8726), or puts it back. */
export async function setSkip(ctx: Ctx, ticketId: string, skip: boolean) {
  const actor = asStaff(ctx.actor);
  await withTransaction(ctx, async (uow) => {
    const ticket = await loadVisibleTicket(uow.tx, actor, ticketId, { lock: true });
    requireCan(actor, "ticket.update", ticket);
    if (skip) {
      const added = await uow.tx
        .insert(csatSkips)
        .values({ ticketId, userId: actor.kind === "agent" ? actor.userId : null })
        .onConflictDoNothing()
        .returning();
      if (added.length === 0) return;
      await uow.tx
        .update(csatSurveys)
        .set({ status: "discarded" })
        .where(and(eq(csatSurveys.ticketId, ticketId), eq(csatSurveys.status, "scheduled")));
      uow.record(ticketId, "csat.skipped", {});
    } else {
      const removed = await uow.tx.delete(csatSkips).where(eq(csatSkips.ticketId, ticketId)).returning();
      if (removed.length) uow.record(ticketId, "csat.unskipped", {});
    }
  });
  return ticketCsat(ctx, ticketId);
}

function period(q: TResponsesQuery, now: Date) {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
  return { from, to };
}

/** The filters of the responses list; `at`: the column the period applies to. */
function responseFilters(actor: Staff, q: TResponsesQuery, at: SQL, p: { from: Date; to: Date }): SQL[] {
  const where: SQL[] = [
    sql`${at} >= ${p.from.toISOString()}::timestamptz`,
    sql`${at} < ${p.to.toISOString()}::timestamptz`,
  ];
  const scope = ticketScope(actor);
  if (scope) where.push(scope);
  if (q.agentId) where.push(eq(csatSurveys.agentId, q.agentId));
  if (q.teamId) where.push(eq(csatSurveys.teamId, q.teamId));
  if (q.channel) where.push(eq(csatSurveys.channel, q.channel));
  if (q.language) where.push(eq(csatSurveys.language, q.language));
  if (q.rating) where.push(eq(csatSurveys.good, q.rating === "good"));
  if (q.contactId) where.push(eq(csatSurveys.contactId, q.contactId));
  return where;
}

/**
 * Rated surveys, newest first, scoped to the tickets the caller may see, with the response
 * rate and CSAT % (good / all rated) of the same filter.
 */
export async function listResponses(ctx: Ctx, q: TResponsesQuery) {
  const actor = asStaff(ctx.actor);
  requireCan(actor, "csat.read");
  const p = period(q, ctx.now());
  const page = responseFilters(actor, q, sql`${csatSurveys.ratedAt}`, p);
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2);
    page.push(
      sql`(${csatSurveys.ratedAt}, ${csatSurveys.id}) < (${String(at)}::timestamptz, ${String(id)}::uuid)`,
    );
  }
  const rows = await ctx.db
    .select({
      s: csatSurveys,
      reasonLabels: csatReasons.labels,
      agentName: users.name,
      number: tickets.number,
      subject: tickets.subject,
      teamName: teams.name,
      contactName: contacts.name,
    })
    .from(csatSurveys)
    .innerJoin(tickets, eq(tickets.id, csatSurveys.ticketId))
    .leftJoin(csatReasons, eq(csatReasons.id, csatSurveys.reasonId))
    .leftJoin(users, eq(users.id, csatSurveys.agentId))
    .leftJoin(teams, eq(teams.id, csatSurveys.teamId))
    .leftJoin(contacts, eq(contacts.id, csatSurveys.contactId))
    .where(and(...page))
    .orderBy(desc(csatSurveys.ratedAt), desc(csatSurveys.id))
    .limit(q.limit + 1);
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit).map((r) => ({
    ...surveyOut(r.s, ctx.now(), { reasonLabels: r.reasonLabels, agentName: r.agentName }),
    ticket: { id: r.s.ticketId, number: r.number, subject: r.subject },
    team: r.s.teamId ? { id: r.s.teamId, name: r.teamName ?? "" } : null,
    contact: r.s.contactId ? { id: r.s.contactId, name: r.contactName ?? "" } : null,
  }));
  const last = rows[q.limit - 1];
  // The summary: surveys sent in the period (the response rate's denominator), rated, good.
  const [sum] = await ctx.db
    .select({
      sent: sql<number>`count(*)::int`,
      rated: sql<number>`count(${csatSurveys.ratedAt})::int`,
      good: sql<number>`count(*) filter (where ${csatSurveys.good})::int`,
    })
    .from(csatSurveys)
    .innerJoin(tickets, eq(tickets.id, csatSurveys.ticketId))
    .where(and(...responseFilters(actor, { ...q, rating: undefined }, sql`${csatSurveys.sentAt}`, p)));
  const sent = sum?.sent ?? 0;
  const rated = sum?.rated ?? 0;
  return {
    items,
    nextCursor: more && last?.s.ratedAt ? encodeCursor([last.s.ratedAt.toISOString(), last.s.id]) : null,
    summary: {
      sent,
      rated,
      good: sum?.good ?? 0,
      responseRate: sent > 0 ? rated / sent : null,
      csat: rated > 0 ? (sum?.good ?? 0) / rated : null,
    },
  };
}
