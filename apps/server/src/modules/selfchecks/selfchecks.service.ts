import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import WebSocket from "ws";
import { SYSTEM } from "../../auth/actor.ts";
import { requireCan } from "../../auth/policies.ts";
import { type Ctx, type Services, withActor } from "../../context.ts";
import { enqueue } from "../../jobs/queue.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { chatSites } from "../chat/chat.table.ts";
import { mailboxes } from "../email/email.table.ts";
import { SMTP_TIMEOUTS } from "../email/outbound.service.ts";
import { issueToken, MIN_FILL_MS } from "../forms/forms.service.ts";
import { ALWAYS_OPEN, type Calendar, openWindows } from "../sla/business-hours.ts";
import { toCalendar } from "../sla/sla.service.ts";
import { businessCalendars } from "../sla/sla.table.ts";
import type { AddedMessage, CreatedTicket } from "../tickets/pipeline.ts";
import { ticketSearchVector, updateTicket } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import { loopbackOf, selfAddress } from "./self-address.ts";
import { checkMarker } from "./selfchecks.marker.ts";
import type { TScheduleInput, TScheduleRow } from "./selfchecks.schema.ts";
import { type SelfCheckChannel, selfCheckRuns, selfCheckSchedules } from "./selfchecks.table.ts";

export const PLAN_JOB = "selfchecks.plan";
export const RUN_JOB = "selfchecks.run";
export const CLOSE_JOB = "selfchecks.close";
export const EXPIRE_JOB = "selfchecks.expire";
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** The tag a check's ticket carries when agents are told (shown as a badge wherever tags are). */
export const CHECK_TAG = "self-check";

type ScheduleRow = typeof selfCheckSchedules.$inferSelect;
type RunRow = typeof selfCheckRuns.$inferSelect;

const admin = (ctx: Ctx) => requireCan(ctx.actor, "selfChecks.manage");

function toSchedule(r: ScheduleRow): TScheduleRow {
  return {
    id: r.id,
    channel: r.channel,
    enabled: r.enabled,
    perWeek: r.perWeek,
    tellAgents: r.tellAgents,
    fromAddress: r.fromAddress,
    mailboxId: r.mailboxId,
    chatSiteId: r.chatSiteId,
    expiryHours: r.expiryHours,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Each channel needs its target: a mailbox and an outside sender for email, a widget site for chat. */
async function checkTargets(
  ctx: Ctx,
  s: Pick<ScheduleRow, "channel" | "fromAddress" | "mailboxId" | "chatSiteId">,
) {
  if (s.channel === "email") {
    if (!s.fromAddress)
      throw badRequest("An email check needs the outside address it comes from", { field: "fromAddress" });
    if (!s.mailboxId)
      throw badRequest("An email check needs the mailbox it is sent to", { field: "mailboxId" });
    const [m] = await ctx.db
      .select({ address: mailboxes.address })
      .from(mailboxes)
      .where(eq(mailboxes.id, s.mailboxId));
    if (!m) throw badRequest("No such mailbox", { field: "mailboxId" });
    if (m.address.toLowerCase() === s.fromAddress.toLowerCase())
      throw badRequest("The check must come from an outside address, not the mailbox itself", {
        field: "fromAddress",
      });
  }
  if (s.channel === "chat") {
    if (!s.chatSiteId)
      throw badRequest("A chat check needs the widget site it opens a chat on", { field: "chatSiteId" });
    const [site] = await ctx.db
      .select({ id: chatSites.id })
      .from(chatSites)
      .where(eq(chatSites.id, s.chatSiteId));
    if (!site) throw badRequest("No such widget site", { field: "chatSiteId" });
  }
}

export async function listSchedules(ctx: Ctx) {
  admin(ctx);
  const rows = await ctx.db.select().from(selfCheckSchedules).orderBy(selfCheckSchedules.createdAt);
  return { items: rows.map(toSchedule) };
}

export async function createSchedule(ctx: Ctx, input: TScheduleInput) {
  admin(ctx);
  const values = {
    channel: input.channel,
    enabled: input.enabled ?? true,
    perWeek: input.perWeek ?? 1,
    tellAgents: input.tellAgents ?? false,
    fromAddress: input.channel === "chat" ? null : (input.fromAddress ?? null),
    mailboxId: input.channel === "email" ? (input.mailboxId ?? null) : null,
    chatSiteId: input.channel === "chat" ? (input.chatSiteId ?? null) : null,
    expiryHours: input.expiryHours ?? 72,
  };
  await checkTargets(ctx, values);
  const [row] = await ctx.db.insert(selfCheckSchedules).values(values).returning();
  if (!row) throw new Error("insert returned nothing");
  await planSchedule(ctx, row, ctx.now());
  return toSchedule(row);
}

export async function updateSchedule(ctx: Ctx, id: string, input: Partial<Omit<TScheduleInput, "channel">>) {
  admin(ctx);
  const [cur] = await ctx.db.select().from(selfCheckSchedules).where(eq(selfCheckSchedules.id, id));
  if (!cur) throw notFound("Self-check schedule");
  const next = { ...cur, ...input, updatedAt: ctx.now() };
  await checkTargets(ctx, next);
  const [row] = await ctx.db
    .update(selfCheckSchedules)
    .set(next)
    .where(eq(selfCheckSchedules.id, id))
    .returning();
  if (!row) throw notFound("Self-check schedule");
  // A new frequency or a pause: the week's checks not started yet are planned again.
  await ctx.db
    .delete(selfCheckRuns)
    .where(and(eq(selfCheckRuns.scheduleId, id), eq(selfCheckRuns.status, "planned")));
  await planSchedule(ctx, row, ctx.now());
  return toSchedule(row);
}

export async function deleteSchedule(ctx: Ctx, id: string) {
  admin(ctx);
  await ctx.db
    .delete(selfCheckRuns)
    .where(and(eq(selfCheckRuns.scheduleId, id), eq(selfCheckRuns.status, "planned")));
  const [row] = await ctx.db.delete(selfCheckSchedules).where(eq(selfCheckSchedules.id, id)).returning();
  if (!row) throw notFound("Self-check schedule");
}

function toRun(r: RunRow) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: r.id,
    scheduleId: r.scheduleId,
    channel: r.channel,
    status: r.status,
    plannedAt: r.plannedAt.toISOString(),
    sentAt: iso(r.sentAt),
    ticketId: r.ticketId,
    answeredAt: iso(r.answeredAt),
    promiseDueAt: iso(r.promiseDueAt),
    expiresAt: iso(r.expiresAt),
    firstAnswerSeconds:
      r.answeredAt && r.sentAt ? (r.answeredAt.getTime() - r.sentAt.getTime()) / 1000 : null,
    promiseKept: r.promiseDueAt ? (r.answeredAt ? r.answeredAt <= r.promiseDueAt : false) : null,
    error: r.error,
  };
}

export async function listRuns(ctx: Ctx, q: { scheduleId?: string; limit: number }) {
  admin(ctx);
  const rows = await ctx.db
    .select()
    .from(selfCheckRuns)
    .where(q.scheduleId ? eq(selfCheckRuns.scheduleId, q.scheduleId) : undefined)
    .orderBy(desc(selfCheckRuns.plannedAt))
    .limit(q.limit);
  return { items: rows.map(toRun) };
}

/** Starts one check of the schedule now (an admin's "run now"). */
export async function runNow(ctx: Ctx, id: string) {
  admin(ctx);
  const [s] = await ctx.db.select().from(selfCheckSchedules).where(eq(selfCheckSchedules.id, id));
  if (!s) throw notFound("Self-check schedule");
  const [run] = await ctx.db
    .insert(selfCheckRuns)
    .values({ scheduleId: s.id, channel: s.channel, plannedAt: ctx.now() })
    .returning();
  if (!run) throw new Error("insert returned nothing");
  await enqueue(ctx.db, RUN_JOB, { runId: run.id }, { dedupeKey: run.id, maxAttempts: 1 });
  return toRun(run);
}

/**
 * Per channel and week (Monday, UTC): checks sent, answered by a person, the median time to
 * that first answer, and how many answers came within the SLA first-response target.
 */
export async function report(ctx: Ctx, q: { weeks: number }) {
  admin(ctx);
  const since = new Date(ctx.now().getTime() - q.weeks * WEEK);
  const res = await ctx.db.execute(sql`select channel,
      to_char(date_trunc('week', sent_at at time zone 'UTC'), 'YYYY-MM-DD') as week,
      count(*)::int as sent,
      count(answered_at)::int as answered,
      percentile_cont(0.5) within group (order by extract(epoch from answered_at - sent_at))
        filter (where answered_at is not null) as p50,
      count(*) filter (where promise_due_at is not null)::int as with_promise,
      count(*) filter (where promise_due_at is not null and answered_at <= promise_due_at)::int as kept
    from self_check_runs where sent_at is not null and sent_at >= ${since.toISOString()}::timestamptz
    group by 1, 2 order by 2, 1`);
  const rows = (res as unknown as { rows: Array<Record<string, unknown>> }).rows;
  return {
    items: rows.map((r) => ({
      channel: r.channel as SelfCheckChannel,
      week: String(r.week),
      sent: Number(r.sent),
      answered: Number(r.answered),
      firstAnswerP50Seconds: r.p50 === null ? null : Number(r.p50),
      withPromise: Number(r.with_promise),
      kept: Number(r.kept),
    })),
  };
}

// ---- planning ----

async function defaultCalendar(ctx: Services): Promise<Calendar> {
  const [row] = await ctx.db
    .select()
    .from(businessCalendars)
    .where(eq(businessCalendars.isDefault, true))
    .limit(1);
  return row ? toCalendar(row) : ALWAYS_OPEN;
}

/** Monday 00:00 UTC of the week holding `at`. */
export const weekStart = (at: Date) => {
  const d = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return new Date(d - ((new Date(d).getUTCDay() + 6) % 7) * DAY);
};

/** `n` instants drawn uniformly over the open time of `windows` (business hours only). */
export function randomOpenInstants(windows: Array<[number, number]>, n: number, random = Math.random) {
  const total = windows.reduce((s, [a, b]) => s + (b - a), 0);
  if (total <= 0) return [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let x = random() * total;
    for (const [a, b] of windows) {
      if (x < b - a) {
        out.push(Math.floor(a + x));
        break;
      }
      x -= b - a;
    }
  }
  return out.sort((a, b) => a - b);
}

/**
 * Plans the schedule's checks for the rest of this week: as many as `perWeek` minus those
 * already planned or run this week, at random open times of the default calendar. The week's
 * share is spread over the business time left, so a schedule made on Friday gets fewer.
 */
export async function planSchedule(ctx: Services, s: ScheduleRow, now: Date) {
  if (!s.enabled) return 0;
  const from = weekStart(now);
  const to = new Date(from.getTime() + WEEK);
  const [have] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(selfCheckRuns)
    .where(
      and(
        eq(selfCheckRuns.scheduleId, s.id),
        sql`${selfCheckRuns.plannedAt} >= ${from.toISOString()}::timestamptz`,
        lt(selfCheckRuns.plannedAt, to),
      ),
    );
  const cal = await defaultCalendar(ctx);
  const all = openWindows(cal, from.getTime(), to.getTime());
  const left = openWindows(cal, now.getTime(), to.getTime());
  const total = all.reduce((x, [a, b]) => x + (b - a), 0);
  const rest = left.reduce((x, [a, b]) => x + (b - a), 0);
  const due = total > 0 ? Math.round((s.perWeek * rest) / total) : 0;
  const want = Math.max(0, Math.min(due, s.perWeek - (have?.n ?? 0)));
  const times = randomOpenInstants(left, want);
  if (times.length === 0) return 0;
  const runs = await ctx.db
    .insert(selfCheckRuns)
    .values(times.map((t) => ({ scheduleId: s.id, channel: s.channel, plannedAt: new Date(t) })))
    .returning();
  for (const r of runs)
    await enqueue(ctx.db, RUN_JOB, { runId: r.id }, { runAt: r.plannedAt, dedupeKey: r.id, maxAttempts: 1 });
  return runs.length;
}

/** The weekly round: plans every enabled schedule's week, then re-enqueues itself for next Monday. */
export async function planWeek(ctx: Services) {
  const now = ctx.now();
  const list = await ctx.db.select().from(selfCheckSchedules).where(eq(selfCheckSchedules.enabled, true));
  let planned = 0;
  for (const s of list) planned += await planSchedule(ctx, s, now);
  return planned;
}

export async function schedulePlanning(ctx: Services, now: Date) {
  const next = new Date(weekStart(now).getTime() + WEEK);
  await enqueue(ctx.db, PLAN_JOB, {}, { runAt: next, dedupeKey: next.toISOString() });
}

// ---- running a check ----

const CHECK_TEXT = {
  subject: "Question about my order",
  body: "Hello, I placed an order last week and have not heard anything since. Could you tell me where it is?",
};

/** Runs one planned check: sends it through the channel's real entry path, as a customer would. */
export async function runCheck(ctx: Services, runId: string) {
  const [claimed] = await ctx.db
    .update(selfCheckRuns)
    .set({ status: "sent", sentAt: ctx.now() })
    .where(and(eq(selfCheckRuns.id, runId), eq(selfCheckRuns.status, "planned")))
    .returning();
  if (!claimed?.scheduleId) return;
  const [s] = await ctx.db
    .select()
    .from(selfCheckSchedules)
    .where(eq(selfCheckSchedules.id, claimed.scheduleId));
  if (!s) return;
  const expiresAt = new Date(ctx.now().getTime() + s.expiryHours * 3600_000);
  await ctx.db.update(selfCheckRuns).set({ expiresAt }).where(eq(selfCheckRuns.id, runId));
  await enqueue(ctx.db, EXPIRE_JOB, { runId }, { runAt: expiresAt, dedupeKey: runId });
  const marker = checkMarker(ctx.config, runId);
  const body = `${CHECK_TEXT.body}\n\n${marker}`;
  try {
    if (s.channel === "email") await sendEmailCheck(ctx, s, body);
    else if (s.channel === "chat") await openChatCheck(ctx, s, body);
    else await submitFormCheck(ctx, s, body);
  } catch (e) {
    await ctx.db
      .update(selfCheckRuns)
      .set({ status: "failed", error: String((e as Error).message ?? e).slice(0, 500) })
      .where(eq(selfCheckRuns.id, runId));
  }
}

function own(ctx: Services) {
  const a = selfAddress(ctx);
  return a;
}

/** Email: over SMTP to this process's inbound receiver, from the configured outside address. */
async function sendEmailCheck(ctx: Services, s: ScheduleRow, body: string) {
  const port = own(ctx).smtpPort;
  if (!port) throw new Error("The inbound SMTP receiver is not running (SMTP_ENABLED)");
  const [m] = await ctx.db
    .select({ address: mailboxes.address })
    .from(mailboxes)
    .where(eq(mailboxes.id, s.mailboxId ?? ""));
  if (!m || !s.fromAddress) throw new Error("The mailbox is gone");
  const transport = nodemailer.createTransport({
    host: loopbackOf(ctx.config.email.smtpHost),
    port,
    secure: false,
    ignoreTLS: true,
    ...SMTP_TIMEOUTS,
  });
  try {
    await transport.sendMail({ from: s.fromAddress, to: m.address, subject: CHECK_TEXT.subject, text: body });
  } finally {
    transport.close();
  }
}

/** Chat: a visitor session on the site's widget, then a real websocket to the widget endpoint. */
async function openChatCheck(ctx: Services, s: ScheduleRow, body: string) {
  const base = own(ctx).http;
  if (!base) throw new Error("The server's own address is not known yet");
  const [site] = await ctx.db
    .select()
    .from(chatSites)
    .where(eq(chatSites.id, s.chatSiteId ?? ""));
  if (!site) throw new Error("The widget site is gone");
  const origin = new URL(ctx.config.publicUrl).origin;
  const res = await fetch(`${base}/widget/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({
      key: site.key,
      locale: "en",
      ...(site.allowedOrigins[0] ? { pageOrigin: site.allowedOrigins[0] } : {}),
    }),
  });
  if (!res.ok) throw new Error(`The widget refused a session: ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  const ws = new WebSocket(`${base.replace(/^http/, "ws")}/widget/ws?key=${encodeURIComponent(site.key)}`, {
    headers: { origin },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("The widget did not answer within 30 s")), 30_000);
      ws.once("error", reject);
      ws.once("unexpected-response", (_q, r) =>
        reject(new Error(`The widget refused the websocket: ${r.statusCode}`)),
      );
      ws.on("message", (d) => {
        const f = JSON.parse(d.toString()) as { type: string; message?: string };
        if (f.type === "ready") ws.send(JSON.stringify({ type: "message", clientId: "check", text: body }));
        if (f.type === "ack") {
          clearTimeout(timer);
          resolve();
        }
        if (f.type === "error") {
          clearTimeout(timer);
          reject(new Error(`The widget refused the message: ${f.message ?? ""}`));
        }
      });
      ws.once("open", () => ws.send(JSON.stringify({ type: "auth", token })));
    });
  } finally {
    ws.close();
  }
}

/** Web form: the public form's submit endpoint over HTTP, with a token as the form page issues it. */
async function submitFormCheck(ctx: Services, s: ScheduleRow, body: string) {
  const base = own(ctx).http;
  if (!base) throw new Error("The server's own address is not known yet");
  // The form refuses answers sent under MIN_FILL_MS after its token: the check "filled it in" then.
  const token = issueToken({ ...ctx, now: () => new Date(ctx.now().getTime() - MIN_FILL_MS - 1000) } as Ctx);
  const res = await fetch(`${base}/api/v1/forms/submit`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: "Service check",
      email: s.fromAddress ?? "mystery-customer@self-check.invalid",
      subject: CHECK_TEXT.subject,
      message: body,
      token,
      website: "",
      locale: "en",
    }),
  });
  if (res.status !== 201)
    throw new Error(`The form refused the check: ${res.status} ${(await res.text()).slice(0, 200)}`);
}

// ---- the ticket pipeline's steps ----

/**
 * A new ticket carrying a valid marker: linked to its run, which records the SLA first-response
 * due time. A marker of an unknown, finished or already used run is ignored (the mark is removed).
 */
export async function selfChecksOnCreate(uow: Uow, items: CreatedTicket[]) {
  // Changes go to `item.deferred`, written once with the other creation steps' (writeCreated).
  const marked = items.filter((i) => i.ticket.selfCheckRunId);
  for (const item of marked) {
    const t = item.ticket;
    const res = await uow.tx.execute(sql`update self_check_runs r set ticket_id = ${t.id},
        promise_due_at = (select min(due_at) from sla_targets where ticket_id = ${t.id} and metric = 'first_response')
      where r.id = ${t.selfCheckRunId} and r.ticket_id is null and r.status = 'sent'
      returning (select tell_agents from self_check_schedules s where s.id = r.schedule_id) as tell`);
    const [run] = (res as unknown as { rows: Array<{ tell: boolean | null }> }).rows;
    if (!run) {
      item.deferred.selfCheckRunId = null;
      item.ticket = { ...t, selfCheckRunId: null };
      continue;
    }
    if (run.tell && !t.tags.includes(CHECK_TAG)) {
      const tags = [...t.tags, CHECK_TAG];
      Object.assign(item.deferred, { tags, searchVector: ticketSearchVector(t.subject, tags) });
      item.ticket = { ...t, tags };
    }
  }
}

/** A check's first public reply by a person: the run is answered and the ticket closed after commit. */
export async function selfChecksOnMessage(uow: Uow, items: AddedMessage[]) {
  for (const { ticket, message } of items) {
    if (!ticket.selfCheckRunId || message.internal || message.authorType !== "agent" || !message.authorUserId)
      continue;
    const answered = await uow.tx
      .update(selfCheckRuns)
      .set({ answeredAt: message.createdAt, status: "answered" })
      .where(
        and(
          eq(selfCheckRuns.id, ticket.selfCheckRunId),
          eq(selfCheckRuns.status, "sent"),
          isNull(selfCheckRuns.answeredAt),
        ),
      )
      .returning({ id: selfCheckRuns.id });
    if (answered.length) await enqueue(uow.tx, CLOSE_JOB, { ticketId: ticket.id }, { dedupeKey: ticket.id });
  }
}

/** Closes a check's ticket (after its first human answer, or at expiry). */
export async function closeCheckTicket(ctx: Services, ticketId: string) {
  const [t] = await ctx.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, ticketId));
  if (!t || t.status === "closed") return;
  await updateTicket(withActor(ctx, SYSTEM), ticketId, { status: "closed" });
}

/** A check still unanswered at its expiry: recorded as expired and its ticket closed. */
export async function expireCheck(ctx: Services, runId: string) {
  const [r] = await ctx.db
    .update(selfCheckRuns)
    .set({ status: "expired" })
    .where(and(eq(selfCheckRuns.id, runId), inArray(selfCheckRuns.status, ["sent"])))
    .returning();
  if (r?.ticketId) await closeCheckTicket(ctx, r.ticketId);
}
