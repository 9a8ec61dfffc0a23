import { randomUUID } from "node:crypto";
import type { Channel } from "@rapport/shared";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { AgentActor } from "../../auth/actor.ts";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx, Services } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { escapeHtml } from "../../lib/html.ts";
import type { InlineImage } from "../email/email.table.ts";
import { mailboxForTicket, queue as queueEmail } from "../email/outbound.service.ts";
import { asLocale } from "../notifications/notifications.templates.ts";
import { readSettings } from "../settings/settings.service.ts";
import { instantOfWallClock, localWallClock } from "../sla/business-hours.ts";
import { teams } from "../teams/teams.table.ts";
import { agentActor, findUserWithTeams } from "../users/users.service.ts";
import { users } from "../users/users.table.ts";
import { overview, timeseries } from "./reports.service.ts";
import { barsChart, trendChart } from "./scheduled.charts.ts";
import { REPORT_LABELS } from "./scheduled.labels.ts";
import type { TScheduleInput, TSchedulePatch } from "./scheduled.schema.ts";
import { reportSchedules } from "./scheduled.table.ts";

/**
 * Scheduled report emails (docs/reports-and-csat.md, "Scheduled reports"). Each schedule has
 * one queued job for its next run (`reports.scheduled`, deduplicated by schedule and time);
 * the job sends the report and queues the following run. A job whose time is no longer the
 * schedule's `next_run_at` (the schedule was changed or deleted) does nothing.
 */
export const SCHEDULED_JOB = "reports.scheduled";
const DAY = 86_400_000;
const HOUR = 3_600_000;

type ScheduleRow = typeof reportSchedules.$inferSelect;

/** The next send time after `now`: `hour` o'clock (and `weekday`) on the organization's wall clock. */
export function nextRun(
  now: Date,
  tz: string,
  s: { frequency: string; hour: number; weekday: number | null },
): Date {
  const wall = localWallClock(now.getTime(), tz);
  let day = Math.floor(wall / DAY) * DAY;
  for (let i = 0; i < 9; i++, day += DAY) {
    if (s.frequency === "weekly" && new Date(day).getUTCDay() !== s.weekday) continue;
    const at = instantOfWallClock(day + s.hour * HOUR, tz);
    if (at > now.getTime()) return new Date(at);
  }
  throw new Error("no next run within nine days");
}

async function orgZone(db: DbOrTx) {
  return (await readSettings(db))?.timeZone ?? "UTC";
}

const manager = (ctx: Ctx) => requireCan(ctx.actor, "reports.schedule");

async function recipientsOf(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: users.id, name: users.name, email: users.email, locale: users.locale })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.active, true)))
    .orderBy(asc(users.name));
}

async function checkRefs(db: DbOrTx, input: { teamId?: string | null; recipientIds?: string[] }) {
  if (input.teamId) {
    const [team] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId));
    if (!team) throw badRequest("Unknown team", { field: "teamId" });
  }
  if (input.recipientIds) {
    const unique = [...new Set(input.recipientIds)];
    const found = await recipientsOf(db, unique);
    if (found.length !== unique.length)
      throw badRequest("Every recipient must be an active user", { field: "recipientIds" });
  }
}

async function toDto(db: DbOrTx, s: ScheduleRow, tz: string) {
  return {
    id: s.id,
    name: s.name,
    frequency: s.frequency as "daily" | "weekly",
    weekday: s.weekday,
    hour: s.hour,
    teamId: s.teamId,
    recipients: await recipientsOf(db, s.recipientIds),
    timeZone: tz,
    nextRunAt: s.nextRunAt.toISOString(),
    lastSentAt: s.lastSentAt?.toISOString() ?? null,
    sentCount: s.sentCount,
    createdAt: s.createdAt.toISOString(),
  };
}

async function queueRun(db: DbOrTx, s: ScheduleRow) {
  await enqueue(
    db,
    SCHEDULED_JOB,
    { scheduleId: s.id, at: s.nextRunAt.toISOString() },
    { runAt: s.nextRunAt, dedupeKey: `${s.id}:${s.nextRunAt.toISOString()}`, maxAttempts: 3 },
  );
}

export async function listSchedules(ctx: Ctx) {
  manager(ctx);
  const tz = await orgZone(ctx.db);
  const rows = await ctx.db.select().from(reportSchedules).orderBy(asc(reportSchedules.createdAt)).limit(200);
  return { items: await Promise.all(rows.map((r) => toDto(ctx.db, r, tz))) };
}

async function find(db: DbOrTx, id: string) {
  const [row] = await db.select().from(reportSchedules).where(eq(reportSchedules.id, id));
  if (!row) throw notFound("Scheduled report");
  return row;
}

export async function getSchedule(ctx: Ctx, id: string) {
  manager(ctx);
  return toDto(ctx.db, await find(ctx.db, id), await orgZone(ctx.db));
}

export async function createSchedule(ctx: Ctx, input: TScheduleInput) {
  const actor = manager(ctx) as AgentActor;
  return ctx.db.transaction(async (tx) => {
    await checkRefs(tx, input);
    const tz = await orgZone(tx);
    const weekday = input.frequency === "weekly" ? (input.weekday ?? null) : null;
    const [row] = await tx
      .insert(reportSchedules)
      .values({
        name: input.name,
        frequency: input.frequency,
        weekday,
        hour: input.hour,
        teamId: input.teamId ?? null,
        recipientIds: [...new Set(input.recipientIds)],
        createdBy: actor.userId,
        nextRunAt: nextRun(ctx.now(), tz, { frequency: input.frequency, hour: input.hour, weekday }),
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await queueRun(tx, row);
    return toDto(tx, row, tz);
  });
}

export async function updateSchedule(ctx: Ctx, id: string, patch: TSchedulePatch) {
  manager(ctx);
  return ctx.db.transaction(async (tx) => {
    const cur = await find(tx, id);
    await checkRefs(tx, patch);
    const frequency = patch.frequency ?? cur.frequency;
    const weekday =
      frequency === "weekly" ? (patch.weekday !== undefined ? patch.weekday : cur.weekday) : null;
    if (frequency === "weekly" && weekday === null)
      throw badRequest("A weekly report needs a weekday", { field: "weekday" });
    const hour = patch.hour ?? cur.hour;
    const tz = await orgZone(tx);
    const [row] = await tx
      .update(reportSchedules)
      .set({
        name: patch.name ?? cur.name,
        frequency,
        weekday,
        hour,
        teamId: patch.teamId !== undefined ? patch.teamId : cur.teamId,
        recipientIds: patch.recipientIds ? [...new Set(patch.recipientIds)] : cur.recipientIds,
        nextRunAt: nextRun(ctx.now(), tz, { frequency, hour, weekday }),
        updatedAt: ctx.now(),
      })
      .where(eq(reportSchedules.id, id))
      .returning();
    if (!row) throw notFound("Scheduled report");
    await queueRun(tx, row);
    return toDto(tx, row, tz);
  });
}

export async function deleteSchedule(ctx: Ctx, id: string) {
  manager(ctx);
  const rows = await ctx.db.delete(reportSchedules).where(eq(reportSchedules.id, id)).returning();
  if (rows.length === 0) throw notFound("Scheduled report");
}

/** "Send now": the report of the period up to now, to the schedule's recipients (a preview). */
export async function sendNow(ctx: Ctx, id: string) {
  manager(ctx);
  const row = await find(ctx.db, id);
  return sendReport(ctx, row, ctx.now());
}

/** The job: sends the run it was queued for, then queues the next one. */
export async function runScheduled(services: Services, payload: { scheduleId: string; at: string }) {
  const [row] = await services.db
    .select()
    .from(reportSchedules)
    .where(eq(reportSchedules.id, payload.scheduleId));
  if (!row || row.nextRunAt.toISOString() !== payload.at) return;
  const tz = await orgZone(services.db);
  await sendReport({ ...services, actor: { kind: "system", name: "rapport" } }, row, row.nextRunAt);
  const next = nextRun(new Date(Math.max(services.now().getTime(), row.nextRunAt.getTime())), tz, row);
  const [updated] = await services.db
    .update(reportSchedules)
    .set({ nextRunAt: next, updatedAt: services.now() })
    .where(and(eq(reportSchedules.id, row.id), eq(reportSchedules.nextRunAt, row.nextRunAt)))
    .returning();
  if (updated) await queueRun(services.db, updated);
}

const hours = (s: number | null) => (s === null ? "–" : (s / 3600).toFixed(1));
const pct = (r: number | null) => (r === null ? "–" : `${Math.round(r * 100)} %`);
const dateIn = (d: Date, tz: string) =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(d);

/**
 * Builds and queues one email per recipient, in the recipient's language, with two charts as
 * inline PNG images. The figures are the dashboard's (`overview`, `timeseries`), computed with
 * the visibility of the schedule's author (a manager or admin: every ticket), for the team or
 * the whole organization, over the day or week before `at`.
 */
async function sendReport(ctx: Ctx, row: ScheduleRow, at: Date) {
  const author = row.createdBy ? await findUserWithTeams(ctx.db, row.createdBy) : undefined;
  if (!author || !author.user.active || author.user.role === "agent") return { sent: 0, recipients: [] };
  const reportCtx: Ctx = { ...ctx, actor: agentActor(author.user, author.teamIds, "session") };
  const tz = await orgZone(ctx.db);
  const len = row.frequency === "weekly" ? 7 * DAY : DAY;
  const from = new Date(at.getTime() - len);
  const q = { from: from.toISOString(), to: at.toISOString(), ...(row.teamId ? { teamId: row.teamId } : {}) };
  const figures = await overview(reportCtx, q);
  // The trend covers two weeks (daily) or four (weekly): one day alone says little.
  const trendFrom = new Date(at.getTime() - (row.frequency === "weekly" ? 28 : 14) * DAY);
  const series = await timeseries(reportCtx, { ...q, from: trendFrom.toISOString() });
  const days: string[] = [];
  for (let d = trendFrom.getTime(); d < at.getTime(); d += DAY) days.push(dateIn(new Date(d), tz));
  const uniqueDays = [...new Set(days)];
  const perDay = (k: "created" | "solved") =>
    uniqueDays.map((d) => series.days.filter((x) => x.day === d).reduce((n, x) => n + x[k], 0));
  const byChannel = new Map<Channel, number>();
  const fromDay = dateIn(from, tz);
  for (const x of series.days)
    if (x.day >= fromDay) byChannel.set(x.channel, (byChannel.get(x.channel) ?? 0) + x.created);
  const team = row.teamId
    ? (await ctx.db.select({ name: teams.name }).from(teams).where(eq(teams.id, row.teamId)))[0]
    : undefined;
  const people = await recipientsOf(ctx.db, row.recipientIds);
  const mailbox = await mailboxForTicket(ctx.db, null);
  const base = ctx.config.publicUrl.replace(/\/+$/, "");
  const charts = new Map<string, InlineImage[]>();
  const c = figures.current;
  const p = figures.previous;
  for (const who of people) {
    const locale = asLocale(who.locale);
    const l = REPORT_LABELS[locale];
    let images = charts.get(locale);
    if (!images) {
      const trend = trendChart(
        uniqueDays.map((d) => d.slice(5)),
        [
          { name: l.created, data: perDay("created") },
          { name: l.solved, data: perDay("solved") },
        ],
      );
      const channels = barsChart(
        [...byChannel.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([ch, n]) => ({ label: l.channel[ch], value: n })),
      );
      images = [
        {
          cid: `trend-${row.id}@rapport`,
          filename: "trend.png",
          contentType: "image/png",
          base64: trend.toString("base64"),
        },
        {
          cid: `channels-${row.id}@rapport`,
          filename: "channels.png",
          contentType: "image/png",
          base64: channels.toString("base64"),
        },
      ];
      charts.set(locale, images);
    }
    const rows: Array<[string, string, string]> = [
      [l.created, String(c.created), String(p.created)],
      [l.solved, String(c.solved), String(p.solved)],
      [l.backlog, String(c.backlog), String(p.backlog)],
      [l.firstResponse, hours(c.firstResponseSeconds.p50), hours(p.firstResponseSeconds.p50)],
      [l.resolution, hours(c.resolutionSeconds.p50), hours(p.resolutionSeconds.p50)],
      [l.sla, pct(c.slaCompliance.rate), pct(p.slaCompliance.rate)],
      [l.csat, pct(c.csat.rate), pct(p.csat.rate)],
      [l.reopenRate, pct(c.reopenRate), pct(p.reopenRate)],
    ];
    const intro = l.intro
      .replace("{{scope}}", team?.name ?? l.organization)
      .replace("{{from}}", dateIn(from, tz))
      .replace("{{to}}", dateIn(new Date(at.getTime() - 1), tz))
      .replace("{{tz}}", tz);
    const subject = (row.frequency === "weekly" ? l.subjectWeekly : l.subjectDaily).replace(
      "{{name}}",
      row.name,
    );
    const link = `${base}/reports`;
    const text = [
      `${who.name},`,
      intro,
      rows.map((r) => `${r[0]}: ${r[1]} (${l.previous}: ${r[2]})`).join("\n"),
      `${l.open} ${link}`,
      `--\n${l.why}`,
    ].join("\n\n");
    const [trendImg, channelImg] = images;
    const html = `<div style="font-family:'Noto Sans','Noto Sans Khmer','Noto Sans Tamil',Arial,sans-serif">
<p>${escapeHtml(who.name)},</p><p>${escapeHtml(intro)}</p>
<table cellpadding="6" style="border-collapse:collapse"><thead><tr><th align="left">${escapeHtml(l.figure)}</th><th align="right">${escapeHtml(l.thisPeriod)}</th><th align="right">${escapeHtml(l.previous)}</th></tr></thead><tbody>
${rows.map((r) => `<tr><td>${escapeHtml(r[0])}</td><td align="right"><b>${escapeHtml(r[1])}</b></td><td align="right">${escapeHtml(r[2])}</td></tr>`).join("\n")}
</tbody></table>
<h3>${escapeHtml(l.chartTrend)}</h3><img src="cid:${trendImg?.cid}" alt="${escapeHtml(l.chartTrend)}" width="640" height="300">
<h3>${escapeHtml(l.chartChannels)}</h3><img src="cid:${channelImg?.cid}" alt="${escapeHtml(l.chartChannels)}" width="640" height="300">
<p><a href="${escapeHtml(link)}">${escapeHtml(l.open)} ${escapeHtml(link)}</a></p><p style="color:#555">${escapeHtml(l.why)}</p></div>`;
    await ctx.db.transaction((tx) =>
      queueEmail(tx, {
        kind: "report",
        mailbox,
        ticketId: null,
        messageId: null,
        id: randomUUID(),
        to: [who.email],
        cc: [],
        subject,
        inReplyTo: null,
        references: [],
        replyTo: null,
        text,
        html,
        inlineImages: images,
      }),
    );
  }
  await ctx.db
    .update(reportSchedules)
    .set({ lastSentAt: ctx.now(), sentCount: sql`${reportSchedules.sentCount} + 1` })
    .where(eq(reportSchedules.id, row.id));
  return { sent: people.length, recipients: people.map((x) => x.email) };
}
