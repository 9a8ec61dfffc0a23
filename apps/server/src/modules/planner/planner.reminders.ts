import { randomUUID } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { requireAgent } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import type { JobHandlers } from "../../jobs/worker.ts";
import { notFound } from "../../lib/errors.ts";
import { textToHtml } from "../../lib/html.ts";
import { mailboxForTicket, queue as queueEmail } from "../email/outbound.service.ts";
import { localWallClock } from "../sla/business-hours.ts";
import { users } from "../users/users.table.ts";
import { todayIn } from "./planner.rules.ts";
import { loadSettings, today, userTimeZone } from "./planner.service.ts";
import { plannerNotifications } from "./planner.table.ts";

export const MORNING_JOB = "planner.morning";
/** The local hour from which the day's plan is announced. */
export const MORNING_HOUR = 7;

const hourKey = (d: Date) => d.toISOString().slice(0, 13);

/** Schedules the next hourly round (idempotent: one job per hour, ever). */
export async function scheduleMorningReminders(db: DbOrTx, now: Date) {
  const next = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000 + 3600_000);
  await enqueue(db, MORNING_JOB, {}, { runAt: next, dedupeKey: hourKey(next) });
}

/**
 * One round: every active agent whose local time is past MORNING_HOUR and who has not
 * had today's plan yet gets an in-app notification with the day's list (missed ones
 * flagged). The unique (user, kind, day) key makes it once per day whatever the rounds.
 * Agents who chose `reminderEmail` also get the list by email (an outbound email and its
 * "email.send" job, written with the notification).
 */
export async function runMorningRound(ctx: Ctx): Promise<number> {
  const now = ctx.now();
  const agents = await ctx.db.select({ id: users.id }).from(users).where(eq(users.active, true));
  let created = 0;
  for (const a of agents) {
    const tz = await userTimeZone(ctx.db, a.id);
    const localHour = new Date(localWallClock(now.getTime(), tz)).getUTCHours();
    if (localHour < MORNING_HOUR) continue;
    const day = todayIn(tz, now);
    const [exists] = await ctx.db
      .select({ id: plannerNotifications.id })
      .from(plannerNotifications)
      .where(
        and(
          eq(plannerNotifications.userId, a.id),
          eq(plannerNotifications.kind, "morning_plan"),
          eq(plannerNotifications.day, day),
        ),
      );
    if (exists) continue;
    const plan = await today(ctx, { userId: a.id, date: day });
    if (plan.items.length === 0) continue;
    const settings = await loadSettings(ctx.db, a.id);
    const missed = plan.items.filter((i) => i.missed).length;
    const title = `${plan.items.length} contacts planned today${missed ? `, ${missed} carried over` : ""}`;
    const rows = await ctx.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(plannerNotifications)
        .values({
          userId: a.id,
          kind: "morning_plan",
          day,
          title,
          data: {
            count: plan.items.length,
            missed,
            capacity: plan.capacity,
            emailed: settings.reminderEmail,
            items: plan.items.slice(0, 50).map((i) => ({
              id: i.id,
              contact: i.contact,
              time: i.time,
              channel: i.channel,
              purpose: i.purpose,
              missed: i.missed,
            })),
          },
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: plannerNotifications.id });
      // The email goes out through the email channel's queue, in the same transaction as the notification.
      if (inserted.length > 0 && settings.reminderEmail)
        await queueReminderEmail(tx, a.id, day, title, plan.items);
      return inserted;
    });
    created += rows.length;
  }
  return created;
}

async function queueReminderEmail(
  tx: DbOrTx,
  userId: string,
  day: string,
  title: string,
  items: Array<{
    contact: { name: string };
    time: string | null;
    channel: string;
    purpose: string;
    missed: boolean;
  }>,
) {
  const [u] = await tx
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, userId));
  if (!u) return;
  const lines = items.map(
    (i) =>
      `- ${i.time ?? "--:--"} ${i.contact.name || "Contact"} (${i.channel})${i.purpose ? `: ${i.purpose}` : ""}${i.missed ? " [carried over]" : ""}`,
  );
  const text = `${u.name},\n\n${title} (${day}):\n\n${lines.join("\n")}\n`;
  await queueEmail(tx, {
    kind: "planner_reminder",
    mailbox: await mailboxForTicket(tx, null),
    ticketId: null,
    messageId: null,
    id: randomUUID(),
    to: [u.email],
    cc: [],
    subject: `Rapport: ${title}`,
    inReplyTo: null,
    references: [],
    replyTo: null,
    text,
    html: textToHtml(text),
  });
}

export const reminderJobHandlers: JobHandlers = {
  [MORNING_JOB]: {
    run: async (ctx) => {
      await runMorningRound(ctx);
      await scheduleMorningReminders(ctx.db, ctx.now());
    },
  },
};

export async function listNotifications(ctx: Ctx, unreadOnly: boolean) {
  const agent = requireAgent(ctx.actor);
  const rows = await ctx.db
    .select()
    .from(plannerNotifications)
    .where(
      and(
        eq(plannerNotifications.userId, agent.userId),
        unreadOnly ? isNull(plannerNotifications.readAt) : undefined,
      ),
    )
    .orderBy(desc(plannerNotifications.createdAt))
    .limit(50);
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      day: r.day,
      title: r.title,
      data: r.data,
      readAt: r.readAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

export async function markNotificationRead(ctx: Ctx, id: string) {
  const agent = requireAgent(ctx.actor);
  const rows = await ctx.db
    .update(plannerNotifications)
    .set({ readAt: sql`coalesce(${plannerNotifications.readAt}, ${ctx.now()}::timestamptz)` })
    .where(and(eq(plannerNotifications.id, id), eq(plannerNotifications.userId, agent.userId)))
    .returning({ id: plannerNotifications.id });
  if (rows.length === 0) throw notFound("Notification");
}
