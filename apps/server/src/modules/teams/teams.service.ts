import { asc, eq, inArray, sql } from "drizzle-orm";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { users } from "../users/users.table.ts";
import type { TCreateTeam, TTeam, TUpdateTeam } from "./teams.schema.ts";
import { teamMembers, teams } from "./teams.table.ts";

const memberIdsSql = sql<
  string[]
>`coalesce((select array_agg(tm.user_id order by tm.user_id) from team_members tm where tm.team_id = ${teams.id}), '{}'::uuid[])`;

function toTeam(row: typeof teams.$inferSelect, memberIds: string[]): TTeam {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    memberIds,
    createdAt: row.createdAt.toISOString(),
  };
}

async function setMembers(db: DbOrTx, teamId: string, memberIds: string[]) {
  const unique = [...new Set(memberIds)];
  if (unique.length > 0) {
    const found = await db.select({ id: users.id }).from(users).where(inArray(users.id, unique));
    if (found.length !== unique.length) throw notFound("User");
  }
  await db.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (unique.length > 0) await db.insert(teamMembers).values(unique.map((userId) => ({ teamId, userId })));
}

async function assertNameFree(db: DbOrTx, name: string, exceptId?: string) {
  const [row] = await db
    .select({ id: teams.id })
    .from(teams)
    .where(sql`lower(${teams.name}) = ${name.toLowerCase()}`);
  if (row && row.id !== exceptId) throw conflict("A team with this name exists", { field: "name" });
}

export async function listTeams(ctx: Ctx): Promise<TTeam[]> {
  requireAgent(ctx.actor);
  const rows = await ctx.db
    .select({ team: teams, memberIds: memberIdsSql })
    .from(teams)
    .orderBy(asc(teams.name));
  return rows.map((r) => toTeam(r.team, r.memberIds));
}

export async function getTeam(ctx: Ctx, id: string): Promise<TTeam> {
  requireAgent(ctx.actor);
  const [row] = await ctx.db
    .select({ team: teams, memberIds: memberIdsSql })
    .from(teams)
    .where(eq(teams.id, id));
  if (!row) throw notFound("Team");
  return toTeam(row.team, row.memberIds);
}

export async function createTeam(ctx: Ctx, input: TCreateTeam): Promise<TTeam> {
  requireCan(ctx.actor, "teams.manage");
  return ctx.db.transaction(async (tx) => {
    await assertNameFree(tx, input.name);
    const [row] = await tx
      .insert(teams)
      .values({ name: input.name, description: input.description })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    await setMembers(tx, row.id, input.memberIds);
    return toTeam(row, [...new Set(input.memberIds)].sort());
  });
}

export async function updateTeam(ctx: Ctx, id: string, input: TUpdateTeam): Promise<TTeam> {
  requireCan(ctx.actor, "teams.manage");
  return ctx.db.transaction(async (tx) => {
    if (input.name) await assertNameFree(tx, input.name, id);
    const { memberIds, ...fields } = input;
    const [row] = await tx
      .update(teams)
      .set({ ...fields, updatedAt: new Date() })
      .where(eq(teams.id, id))
      .returning();
    if (!row) throw notFound("Team");
    if (memberIds) await setMembers(tx, id, memberIds);
    const [fresh] = await tx.select({ memberIds: memberIdsSql }).from(teams).where(eq(teams.id, id));
    return toTeam(row, fresh?.memberIds ?? []);
  });
}

export async function deleteTeam(ctx: Ctx, id: string): Promise<void> {
  requireCan(ctx.actor, "teams.manage");
  const deleted = await ctx.db.delete(teams).where(eq(teams.id, id)).returning({ id: teams.id });
  if (deleted.length === 0) throw notFound("Team");
}
