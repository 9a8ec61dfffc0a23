import { randomUUID } from "node:crypto";
import type { Locale } from "@rapport/shared";
import { sql } from "drizzle-orm";
import { SYSTEM } from "../../auth/actor.ts";
import { requireCan } from "../../auth/policies.ts";
import { type Ctx, withActor } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { enqueue } from "../../jobs/queue.ts";
import { textToHtml } from "../../lib/html.ts";
import { mailboxForTicket, queue as queueEmail } from "../email/outbound.service.ts";
import { notify } from "../notifications/notifications.service.ts";
import { asLocale as toLocale } from "../notifications/notifications.templates.ts";
import { withTransaction } from "../tickets/unit-of-work.ts";
import { DAY_MS } from "./rfm.ts";
import { loadSettings } from "./value.service.ts";

/**
 * Reminders before a customer lapses (docs/customer-value.md). The refresh and the nightly
 * recompute keep `customer_values.next_reminder_at` = last purchase + (I − lead days); this
 * sweep takes the customers whose time has come and who have not lapsed yet (d ≤ I): for each
 * it records one `value_reminders` row per interval (unique on the last purchase it follows, so
 * a reminder is never repeated), files a planned contact for the account owner (the contact's
 * organization's, else the reminder team's lead or first member) with the reason and
 * the figures, or in `email` mode queues the templated email with the offer to the customer,
 * and tells the owner with `notify()` (kind `value.reminder`). A purchase before or after the
 * reminder is handled by the refresh statement (the planned contact cancelled, the reminder
 * marked converted). Customers already past I get no reminder: the sweep clears their date.
 */

export const REMINDERS_JOB = "value.reminders";
const BATCH = 500;

type Due = {
  contact_id: string;
  name: string;
  language: string | null;
  email: string | null;
  owner_id: string | null;
  last_purchase_at: string | Date;
  next_reminder_at: string | Date;
  interval_days: number;
  purchases: number;
  segment: string;
  monetary_minor: string | number;
  r_score: number | null;
  f_score: number | null;
  m_score: number | null;
};

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

/** The default email when the admin has not written one for the customer's language. */
const DEFAULT_EMAIL: Record<Locale, { subject: string; body: string }> = {
  en: {
    subject: "We have something for you, {{name}}",
    body: "Hello {{name}},\n\nIt has been a while since your last order. {{offer}}\n\nThank you for being our customer.",
  },
  vi: {
    subject: "Chúng tôi có quà dành cho bạn, {{name}}",
    body: "Xin chào {{name}},\n\nĐã một thời gian kể từ đơn hàng gần nhất của bạn. {{offer}}\n\nCảm ơn bạn đã luôn đồng hành cùng chúng tôi.",
  },
  km: {
    subject: "យើងមានអ្វីពិសេសសម្រាប់អ្នក {{name}}",
    body: "សួស្ដី {{name}}\n\nរយៈពេលខ្លះហើយ ចាប់តាំងពីការបញ្ជាទិញចុងក្រោយរបស់អ្នក។ {{offer}}\n\nសូមអរគុណដែលបានគាំទ្រយើង។",
  },
  ta: {
    subject: "{{name}}, உங்களுக்காக ஒரு சிறப்புச் சலுகை",
    body: "வணக்கம் {{name}},\n\nஉங்கள் கடைசி ஆர்டருக்குப் பிறகு சில காலம் ஆகிவிட்டது. {{offer}}\n\nஎங்கள் வாடிக்கையாளராக இருப்பதற்கு நன்றி.",
  },
};

const PURPOSE: Record<Locale, (days: number, interval: number) => string> = {
  en: (d, i) => `Before they lapse: last purchase ${d} days ago, usually every ${i} days`,
  vi: (d, i) => `Trước khi khách rời bỏ: lần mua gần nhất cách đây ${d} ngày, thường cứ ${i} ngày một lần`,
  km: (d, i) => `មុនពេលអតិថិជនឈប់ទិញ: ការទិញចុងក្រោយ ${d} ថ្ងៃមុន ជាធម្មតារៀងរាល់ ${i} ថ្ងៃម្ដង`,
  ta: (d, i) => `விலகுவதற்கு முன்: கடைசியாக வாங்கியது ${d} நாட்களுக்கு முன், வழக்கமாக ${i} நாட்களுக்கு ஒருமுறை`,
};

const fill = (text: string, vars: Record<string, string>) =>
  text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);

/** Schedules the next hourly sweep (one job per hour, whichever process enqueues it). */
export async function scheduleReminders(db: DbOrTx, now: Date) {
  const next = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000 + 3600_000);
  await enqueue(db, REMINDERS_JOB, {}, { runAt: next, dedupeKey: next.toISOString() });
}

/** "Send due reminders now" (admins): the hourly sweep, at once. */
export async function runRemindersNow(ctx: Ctx) {
  requireCan(ctx.actor, "value.manage");
  return runReminders(withActor(ctx, SYSTEM));
}

/** One sweep; returns the reminders filed and the lapsed customers skipped. */
export async function runReminders(ctx: Ctx): Promise<{ filed: number; skipped: number }> {
  let filed = 0;
  let skipped = 0;
  for (;;) {
    const r = await withTransaction(ctx, async (uow) => {
      const { tx } = uow;
      const now = ctx.now();
      const settings = await loadSettings(tx);
      const due = rowsOf<Due>(
        await tx.execute(sql`
          select v.contact_id, c.name, c.language, v.last_purchase_at, v.next_reminder_at, v.interval_days,
            v.purchases, v.segment, v.monetary_minor, v.r_score, v.f_score, v.m_score,
            (select e.email from contact_emails e where e.contact_id = v.contact_id
              order by e.is_primary desc, e.created_at limit 1) as email,
            coalesce(o.account_owner_id,
              (select l.user_id from team_leads l join users u on u.id = l.user_id
                where l.team_id = ${settings.reminderTeamId} and u.active),
              (select m.user_id from team_members m join users u on u.id = m.user_id
                where m.team_id = ${settings.reminderTeamId} and u.active order by u.name, u.id limit 1)) as owner_id
          from customer_values v join contacts c on c.id = v.contact_id
            left join organizations o on o.id = c.organization_id
          where v.next_reminder_at <= ${now.toISOString()}::timestamptz and v.last_purchase_at is not null
          order by v.next_reminder_at, v.contact_id limit ${BATCH}
          for update of v skip locked`),
      );
      if (due.length === 0) return { filed: 0, skipped: 0, more: false };
      let f = 0;
      let s = 0;
      const notices: Parameters<typeof notify>[1] = [];
      const mailbox = settings.reminderMode === "email" ? await mailboxForTicket(tx, null) : undefined;
      for (const d of due) {
        const last = new Date(d.last_purchase_at);
        const days = Math.floor((now.getTime() - last.getTime()) / DAY_MS);
        const interval = Math.round(d.interval_days);
        // Already lapsed (d > I: the sweep was late, or reminders were just switched on): no reminder.
        if (settings.reminderMode === "off" || now.getTime() - last.getTime() > d.interval_days * DAY_MS) {
          s++;
          continue;
        }
        const [reminder] = rowsOf<{ id: string }>(
          await tx.execute(sql`insert into value_reminders (contact_id, last_purchase_at, due_at, mode, status, interval_days, created_at)
            values (${d.contact_id}, ${last.toISOString()}::timestamptz, ${new Date(d.next_reminder_at).toISOString()}::timestamptz,
              ${settings.reminderMode}, ${d.owner_id || settings.reminderMode === "email" ? "done" : "unassigned"},
              ${d.interval_days}, ${now.toISOString()}::timestamptz)
            on conflict (contact_id, last_purchase_at) do nothing returning id`),
        );
        if (!reminder) continue;
        f++;
        const ownerLocale = toLocale(
          d.owner_id
            ? (rowsOf<{ locale: string }>(
                await tx.execute(sql`select locale from users where id = ${d.owner_id}`),
              )[0]?.locale ?? "en")
            : "en",
        );
        const figures = `R ${d.r_score ?? "–"} · F ${d.f_score ?? "–"} · M ${d.m_score ?? "–"} · ${d.purchases} · ${d.segment}`;
        if (settings.reminderMode === "planner" && d.owner_id) {
          const [pc] = rowsOf<{ id: string }>(
            await tx.execute(sql`insert into planned_contacts (contact_id, owner_id, date, channel, purpose, notes, created_at, updated_at)
              values (${d.contact_id}, ${d.owner_id}, ${now.toISOString().slice(0, 10)}, 'phone',
                ${PURPOSE[ownerLocale](days, interval)}, ${[figures, settings.reminderOffer].filter(Boolean).join("\n")},
                ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz) returning id`),
          );
          await tx.execute(
            sql`update value_reminders set planned_contact_id = ${pc?.id ?? null} where id = ${reminder.id}`,
          );
        }
        if (settings.reminderMode === "email" && d.email) {
          const lang = toLocale(d.language ?? "en");
          const tpl = settings.reminderTemplate[lang] ?? DEFAULT_EMAIL[lang];
          const vars = { name: d.name, offer: settings.reminderOffer };
          const text = fill(tpl.body, vars);
          await queueEmail(tx, {
            kind: "value_reminder",
            mailbox,
            ticketId: null,
            messageId: null,
            id: randomUUID(),
            to: [d.email],
            cc: [],
            subject: fill(tpl.subject, vars),
            inReplyTo: null,
            references: [],
            replyTo: null,
            text,
            html: textToHtml(text),
          });
        }
        if (d.owner_id)
          notices.push({
            userId: d.owner_id,
            kind: "value.reminder",
            contactId: d.contact_id,
            subject: { type: "contact", id: d.contact_id },
            link: `/contacts/${d.contact_id}`,
            dedupeKey: `value.reminder:${d.contact_id}:${last.toISOString()}`,
            params: { name: d.name, days, interval, purchases: d.purchases, segment: d.segment },
          });
      }
      await tx.execute(sql`update customer_values set next_reminder_at = null
        where contact_id in (${sql.join(
          due.map((d) => sql`${d.contact_id}::uuid`),
          sql`, `,
        )})`);
      await notify(uow, notices);
      return { filed: f, skipped: s, more: due.length === BATCH };
    });
    filed += r.filed;
    skipped += r.skipped;
    if (!r.more) return { filed, skipped };
  }
}
