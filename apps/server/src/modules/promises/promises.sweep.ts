import { sql } from "drizzle-orm";
import type { Ctx } from "../../context.ts";
import { notify } from "../notifications/notifications.service.ts";
import { managersOf } from "../sla/recipients.ts";
import { withTransaction } from "../tickets/unit-of-work.ts";

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

const promiseParams = (p: Claimed) => ({
  promiseKind: p.kind,
  description: p.description.slice(0, 300),
  dueAt: new Date(p.due_at).toISOString(),
});

/**
 * Reminders before due (owner: in-app + email) and overdue notices (owner and their
 * managers), each claimed once with a conditional UPDATE over SKIP LOCKED rows.
 */
export async function sweepPromises(ctx: Ctx): Promise<{ reminded: number; overdue: number }> {
  const now = ctx.now();
  let reminded = 0;
  let overdue = 0;
  for (;;) {
    const n = await withTransaction(ctx, async (uow) => {
      const claimed = rowsOf<Claimed>(
        await uow.tx.execute(sql`update promises p set reminded_at = ${now}::timestamptz
          where p.id in (select id from promises where status = 'open' and reminded_at is null
            and remind_at <= ${now}::timestamptz order by remind_at limit ${BATCH} for update skip locked)
          returning p.id, p.owner_id, p.team_id, p.ticket_id, p.kind, p.description, p.due_at`),
      );
      // The owner, in the app and (by default) by email, in their language.
      await notify(
        uow,
        claimed.map((p) => ({
          userId: p.owner_id,
          kind: "promise.reminder" as const,
          ticketId: p.ticket_id,
          subject: { type: "promise" as const, id: p.id },
          link: p.ticket_id ? `/tickets/${p.ticket_id}` : "/promises",
          dedupeKey: `promise-remind:${p.id}:${new Date(p.due_at).toISOString()}`,
          params: promiseParams(p),
          emailDetails: `${new Date(p.due_at).toISOString().replace("T", " ").slice(0, 16)} UTC`,
        })),
      );
      return claimed.length;
    });
    reminded += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = await withTransaction(ctx, async (uow) => {
      const claimed = rowsOf<Claimed>(
        await uow.tx.execute(sql`update promises p set overdue_notified_at = ${now}::timestamptz
          where p.id in (select id from promises where status = 'open' and overdue_notified_at is null
            and due_at <= ${now}::timestamptz order by due_at limit ${BATCH} for update skip locked)
          returning p.id, p.owner_id, p.team_id, p.ticket_id, p.kind, p.description, p.due_at`),
      );
      for (const p of claimed) {
        const managers = await managersOf(uow.tx, [p.team_id]);
        await notify(
          uow,
          [...new Set([p.owner_id, ...managers])].map((userId) => ({
            userId,
            kind: "promise.overdue" as const,
            ticketId: p.ticket_id,
            subject: { type: "promise" as const, id: p.id },
            link: p.ticket_id ? `/tickets/${p.ticket_id}` : "/promises",
            dedupeKey: `promise-overdue:${p.id}:${new Date(p.due_at).toISOString()}`,
            params: { ...promiseParams(p), ownerId: p.owner_id },
          })),
        );
      }
      return claimed.length;
    });
    overdue += n;
    if (n < BATCH) break;
  }
  return { reminded, overdue };
}
