import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { requireAgent } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import { notFound } from "../../lib/errors.ts";
import { tickets } from "../tickets/tickets.table.ts";
import type { TNotification } from "./automations.schema.ts";
import { agentNotifications } from "./automations.table.ts";

/** The caller's own notifications, newest first, with the unread count. */
export async function listNotifications(ctx: Ctx, q: { unread?: boolean; limit: number }) {
  const me = requireAgent(ctx.actor);
  const rows = await ctx.db
    .select({ n: agentNotifications, number: tickets.number })
    .from(agentNotifications)
    .leftJoin(tickets, eq(tickets.id, agentNotifications.ticketId))
    .where(
      and(eq(agentNotifications.userId, me.userId), q.unread ? isNull(agentNotifications.readAt) : undefined),
    )
    .orderBy(desc(agentNotifications.createdAt))
    .limit(q.limit);
  const [unread] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(agentNotifications)
    .where(and(eq(agentNotifications.userId, me.userId), isNull(agentNotifications.readAt)));
  const items: TNotification[] = rows.map(({ n, number }) => ({
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    ticket: n.ticketId ? { id: n.ticketId, number: number ?? 0 } : null,
    readAt: n.readAt?.toISOString() ?? null,
    createdAt: n.createdAt.toISOString(),
  }));
  return { unread: Number(unread?.n ?? 0), items };
}

export async function markRead(ctx: Ctx, id: string | "all") {
  const me = requireAgent(ctx.actor);
  const rows = await ctx.db
    .update(agentNotifications)
    .set({ readAt: ctx.now() })
    .where(
      and(
        eq(agentNotifications.userId, me.userId),
        id === "all" ? isNull(agentNotifications.readAt) : eq(agentNotifications.id, id),
      ),
    )
    .returning({ id: agentNotifications.id });
  if (id !== "all" && rows.length === 0) throw notFound("Notification");
}
