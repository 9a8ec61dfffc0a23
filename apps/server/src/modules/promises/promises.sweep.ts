import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { textToHtml } from "../../lib/html.ts";
import { mailboxForTicket, queue as queueEmail } from "../email/outbound.service.ts";
import { managersOf, notify } from "../sla/notifications.ts";
import { users } from "../users/users.table.ts";

const BATCH = 500;
const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;
type Claimed = {
  id: string;
  owner_id: string;
  team_id: string | null;
  ticket_id: string | null;
  kind: string;
  description: string;
  due_at: string | Date;
};

const KIND_LABEL: Record<string, string> = {
  call_back: "Call back",
  refund: "Refund",
  discount: "Discount",
  send_info: "Send information",
  follow_up: "Follow up",
};

/** The owner's reminder email, through the email channel's outbound queue (like password resets). */
async function reminderEmail(tx: DbOrTx, ownerId: string, p: Claimed, title: string) {
  const [u] = await tx
    .select({ email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, ownerId));
  if (!u) return;
  const due = new Date(p.due_at).toISOString().replace("T", " ").slice(0, 16);
  const text = `${u.name},\n\n${title}\nDue: ${due} UTC\n${p.description ? `\n${p.description}\n` : ""}`;
  await queueEmail(tx, {
    // The outbound queue's kind names the template family; promise reminders are agent reminders
    // like the planner's (the email module's union has no separate member for them yet).
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

/**
 * Reminders before due (owner: in-app + email) and overdue notices (owner and their
 * managers), each claimed once with a conditional UPDATE over SKIP LOCKED rows.
 */
export async function sweepPromises(ctx: Ctx): Promise<{ reminded: number; overdue: number }> {
  const now = ctx.now();
  let reminded = 0;
  let overdue = 0;
  for (;;) {
    const n = await ctx.db.transaction(async (tx) => {
      const claimed = rowsOf<Claimed>(
        await tx.execute(sql`update promises p set reminded_at = ${now}::timestamptz
          where p.id in (select id from promises where status = 'open' and reminded_at is null
            and remind_at <= ${now}::timestamptz order by remind_at limit ${BATCH} for update skip locked)
          returning p.id, p.owner_id, p.team_id, p.ticket_id, p.kind, p.description, p.due_at`),
      );
      for (const p of claimed) {
        const title = `Promise due: ${KIND_LABEL[p.kind] ?? p.kind}${p.description ? ` — ${p.description.slice(0, 120)}` : ""}`;
        const sent = await notify(
          tx,
          [p.owner_id],
          {
            kind: "promise_reminder",
            key: `promise-remind:${p.id}:${new Date(p.due_at).toISOString()}`,
            title,
            ticketId: p.ticket_id,
            promiseId: p.id,
            data: { dueAt: new Date(p.due_at).toISOString(), kind: p.kind },
          },
          now,
        );
        if (sent.length > 0) await reminderEmail(tx, p.owner_id, p, title);
      }
      return claimed.length;
    });
    reminded += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = await ctx.db.transaction(async (tx) => {
      const claimed = rowsOf<Claimed>(
        await tx.execute(sql`update promises p set overdue_notified_at = ${now}::timestamptz
          where p.id in (select id from promises where status = 'open' and overdue_notified_at is null
            and due_at <= ${now}::timestamptz order by due_at limit ${BATCH} for update skip locked)
          returning p.id, p.owner_id, p.team_id, p.ticket_id, p.kind, p.description, p.due_at`),
      );
      for (const p of claimed) {
        const title = `Promise overdue: ${KIND_LABEL[p.kind] ?? p.kind}${p.description ? ` — ${p.description.slice(0, 120)}` : ""}`;
        const managers = await managersOf(tx, [p.team_id]);
        await notify(
          tx,
          [p.owner_id, ...managers],
          {
            kind: "promise_overdue",
            key: `promise-overdue:${p.id}:${new Date(p.due_at).toISOString()}`,
            title,
            ticketId: p.ticket_id,
            promiseId: p.id,
            data: { dueAt: new Date(p.due_at).toISOString(), kind: p.kind, ownerId: p.owner_id },
          },
          now,
        );
      }
      return claimed.length;
    });
    overdue += n;
    if (n < BATCH) break;
  }
  return { reminded, overdue };
}
