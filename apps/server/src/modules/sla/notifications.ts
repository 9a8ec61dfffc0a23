import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { requireAgent } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { notFound } from "../../lib/errors.ts";
import { teamMembers } from "../teams/teams.table.ts";
import { users } from "../users/users.table.ts";
import { slaNotifications } from "./sla.table.ts";

export type NewNotification = {
  kind: string;
  /** One notification per (user, key), ever. */
  key: string;
  title: string;
  ticketId?: string | null;
  promiseId?: string | null;
  data?: Record<string, unknown>;
};

/** Writes in-app notifications; a repeated (user, key) is ignored. Returns the users actually notified. */
export async function notify(tx: DbOrTx, userIds: string[], n: NewNotification, at: Date): Promise<string[]> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return [];
  const rows = await tx
    .insert(slaNotifications)
    .values(
      ids.map((userId) => ({
        userId,
        kind: n.kind,
        dedupeKey: n.key,
        title: n.title.slice(0, 500),
        ticketId: n.ticketId ?? null,
        promiseId: n.promiseId ?? null,
        data: n.data ?? {},
        createdAt: at,
      })),
    )
    .onConflictDoNothing()
    .returning({ userId: slaNotifications.userId });
  return rows.map((r) => r.userId);
}

/**
 * The managers of a team (members with the manager or admin role); without a team or
 * without such members, every active admin.
 */
export async function managersOf(tx: DbOrTx, teamIds: Array<string | null>): Promise<string[]> {
  const ids = teamIds.filter((t): t is string => !!t);
  if (ids.length > 0) {
    const rows = await tx
      .selectDistinct({ id: users.id })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(
        and(
          inArray(teamMembers.teamId, ids),
          inArray(users.role, ["manager", "admin"]),
          eq(users.active, true),
        ),
      );
    if (rows.length > 0) return rows.map((r) => r.id);
  }
  const admins = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.active, true)));
  return admins.map((r) => r.id);
}

export async function listNotifications(ctx: Ctx, unreadOnly: boolean) {
  const agent = requireAgent(ctx.actor);
  const rows = await ctx.db
    .select()
    .from(slaNotifications)
    .where(
      and(
        eq(slaNotifications.userId, agent.userId),
        unreadOnly ? isNull(slaNotifications.readAt) : undefined,
      ),
    )
    .orderBy(desc(slaNotifications.createdAt))
    .limit(100);
  return {
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      ticketId: r.ticketId,
      promiseId: r.promiseId,
      data: r.data,
      readAt: r.readAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

export async function markNotificationRead(ctx: Ctx, id: string) {
  const agent = requireAgent(ctx.actor);
  const rows = await ctx.db
    .update(slaNotifications)
    .set({ readAt: sql`coalesce(${slaNotifications.readAt}, ${ctx.now()}::timestamptz)` })
    .where(and(eq(slaNotifications.id, id), eq(slaNotifications.userId, agent.userId)))
    .returning({ id: slaNotifications.id });
  if (rows.length === 0) throw notFound("Notification");
}
