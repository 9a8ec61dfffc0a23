import type { Locale } from "@rapport/shared";
import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import type { JobHandlers } from "../../jobs/worker.ts";
import { notify } from "../notifications/notifications.service.ts";
import { notifications } from "../notifications/notifications.table.ts";
import { localWallClock } from "../sla/business-hours.ts";
import { users } from "../users/users.table.ts";
import { todayIn } from "./planner.rules.ts";
import { loadSettings, today, userTimeZone } from "./planner.service.ts";

export const MORNING_JOB = "planner.morning";
/** The local hour from which the day's plan is announced. */
export const MORNING_HOUR = 7;

const hourKey = (d: Date) => d.toISOString().slice(0, 13);

/** Schedules the next hourly round (idempotent: one job per hour, ever). */
export async function scheduleMorningReminders(db: DbOrTx, now: Date) {
  const next = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000 + 3600_000);
  await enqueue(db, MORNING_JOB, {}, { runAt: next, dedupeKey: hourKey(next) });
}

const CARRIED_OVER: Record<Locale, string> = {
  en: "carried over",
  vi: "chuyển từ hôm trước",
  km: "យកមកពីថ្ងៃមុន",
  ta: "முந்தைய நாளிலிருந்து",
};

/**
 * One round: every active agent whose local time is past MORNING_HOUR and who has not
 * had today's plan yet gets a `planner.morning_plan` notice with the day's list (missed ones
 * flagged); its dedupe key (`morning:<day>`) makes it once per day whatever the rounds.
 * Agents who chose `reminderEmail` in the planner settings also get the list by email, unless
 * their notification preferences say otherwise (docs/notifications.md).
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
    const dedupeKey = `morning:${day}`;
    const [exists] = await ctx.db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.userId, a.id), eq(notifications.dedupeKey, dedupeKey)));
    if (exists) continue;
    const plan = await today(ctx, { userId: a.id, date: day });
    if (plan.items.length === 0) continue;
    const settings = await loadSettings(ctx.db, a.id);
    const missed = plan.items.filter((i) => i.missed).length;
    const filed = await notify(ctx, [
      {
        userId: a.id,
        kind: "planner.morning_plan",
        link: "/planner/today",
        dedupeKey,
        emailByDefault: settings.reminderEmail,
        params: {
          day,
          count: plan.items.length,
          missed,
          capacity: plan.capacity,
          items: plan.items.slice(0, 50).map((i) => ({
            id: i.id,
            contact: i.contact,
            time: i.time,
            channel: i.channel,
            purpose: i.purpose,
            missed: i.missed,
          })),
        },
        emailDetails: (locale) =>
          `${day}\n\n${plan.items
            .map(
              (i) =>
                `- ${i.time ?? "--:--"} ${i.contact.name || "-"} (${i.channel})${i.purpose ? `: ${i.purpose}` : ""}${i.missed ? ` [${CARRIED_OVER[locale]}]` : ""}`,
            )
            .join("\n")}`,
      },
    ]);
    created += filed.length;
  }
  return created;
}

export const reminderJobHandlers: JobHandlers = {
  [MORNING_JOB]: {
    run: async (ctx) => {
      await runMorningRound(ctx);
      await scheduleMorningReminders(ctx.db, ctx.now());
    },
  },
};
