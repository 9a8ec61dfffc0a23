import { asc, eq, inArray, sql } from "drizzle-orm";
import type { AgentActor } from "../../auth/actor.ts";
import { hashPassword } from "../../auth/crypto.ts";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { inviteUser } from "../auth/password-reset.service.ts";
import { teamMembers, teams } from "../teams/teams.table.ts";
import type { TCreateUser, TUpdateMe, TUpdateUser, TUser } from "./users.schema.ts";
import { users } from "./users.table.ts";

type UserRow = typeof users.$inferSelect;

export function toUser(row: UserRow, teamIds: string[]): TUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    chatName: row.chatName,
    role: row.role,
    languages: row.languages,
    availability: row.availability,
    locale: row.locale,
    timeZone: row.timeZone,
    active: row.active,
    teamIds,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The user's team ids, sorted, as a correlated subquery on `users`. */
export const teamIdsSql = sql<
  string[]
>`coalesce((select array_agg(tm.team_id order by tm.team_id) from team_members tm where tm.user_id = ${users.id}), '{}'::uuid[])`;

export async function findUserWithTeams(db: DbOrTx, id: string) {
  const [row] = await db.select({ user: users, teamIds: teamIdsSql }).from(users).where(eq(users.id, id));
  return row;
}

export function agentActor(row: UserRow, teamIds: string[], via: AgentActor["via"]): AgentActor {
  return {
    kind: "agent",
    userId: row.id,
    role: row.role,
    name: row.name,
    email: row.email,
    locale: row.locale,
    teamIds,
    via,
  };
}

async function setTeams(db: DbOrTx, userId: string, teamIds: string[]) {
  const unique = [...new Set(teamIds)];
  if (unique.length > 0) {
    const found = await db.select({ id: teams.id }).from(teams).where(inArray(teams.id, unique));
    if (found.length !== unique.length) throw notFound("Team");
  }
  await db.delete(teamMembers).where(eq(teamMembers.userId, userId));
  if (unique.length > 0) await db.insert(teamMembers).values(unique.map((teamId) => ({ teamId, userId })));
}

/** Creates a user; callers check who may. Used by setup, the admin API and the CLI. */
export async function insertUser(db: DbOrTx, input: TCreateUser): Promise<TUser> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const email = input.email.toLowerCase();
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`);
    if (existing) throw conflict("A user with this email exists", { field: "email" });
    const [row] = await tx
      .insert(users)
      .values({
        email,
        name: input.name,
        role: input.role,
        passwordHash,
        languages: input.languages,
        locale: input.locale,
        timeZone: input.timeZone ?? null,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await setTeams(tx, row.id, input.teamIds);
    return toUser(row, [...new Set(input.teamIds)].sort());
  });
}

export async function createUser(ctx: Ctx, input: TCreateUser): Promise<TUser> {
  requireCan(ctx.actor, "users.manage");
  const user = await insertUser(ctx.db, input);
  if (!input.password) await inviteUser(ctx, user);
  return user;
}

export async function listUsers(ctx: Ctx): Promise<TUser[]> {
  requireAgent(ctx.actor);
  const rows = await ctx.db.select({ user: users, teamIds: teamIdsSql }).from(users).orderBy(asc(users.name));
  return rows.map((r) => toUser(r.user, r.teamIds));
}

export async function getUser(ctx: Ctx, id: string): Promise<TUser> {
  requireAgent(ctx.actor);
  const row = await findUserWithTeams(ctx.db, id);
  if (!row) throw notFound("User");
  return toUser(row.user, row.teamIds);
}

async function patchUser(db: DbOrTx, id: string, patch: TUpdateUser): Promise<TUser> {
  return db.transaction(async (tx) => {
    const { teamIds, ...fields } = patch;
    const [row] = await tx
      .update(users)
      .set({ ...fields, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    if (!row) throw notFound("User");
    if (teamIds) await setTeams(tx, id, teamIds);
    if (fields.active === false) await tx.execute(sql`delete from sessions where user_id = ${id}`);
    const fresh = await findUserWithTeams(tx, id);
    return toUser(row, fresh?.teamIds ?? []);
  });
}

export async function updateUser(ctx: Ctx, id: string, patch: TUpdateUser): Promise<TUser> {
  const admin = requireCan(ctx.actor, "users.manage");
  if (
    id === admin.userId &&
    ((patch.role !== undefined && patch.role !== "admin") || patch.active === false)
  ) {
    throw conflict("You cannot demote or deactivate yourself; ask another administrator");
  }
  return patchUser(ctx.db, id, patch);
}

export async function updateMe(ctx: Ctx, patch: TUpdateMe): Promise<TUser> {
  const me = requireAgent(ctx.actor);
  return patchUser(ctx.db, me.userId, patch);
}

export async function setPassword(db: DbOrTx, email: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  const updated = await db
    .update(users)
    .set({ passwordHash, updatedAt: new Date() })
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .returning({ id: users.id });
  const [row] = updated;
  if (!row) throw notFound("User");
  // Signed out everywhere, as the emailed reset does: sessions ended, API tokens revoked.
  await db.execute(sql`delete from sessions where user_id = ${row.id}`);
  await db.execute(
    sql`update api_tokens set revoked_at = now() where user_id = ${row.id} and revoked_at is null`,
  );
}
