import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.ts";
import { teamMembers } from "../teams/teams.table.ts";
import { users } from "../users/users.table.ts";

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
