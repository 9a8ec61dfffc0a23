import { foldText } from "@rapport/shared";
import { asc, eq, sql } from "drizzle-orm";
import { requireAgent } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { containsPattern } from "../../lib/search.ts";
import { users } from "../users/users.table.ts";
import type { TCreateOrganization, TOrganization, TUpdateOrganization } from "./contacts.schema.ts";
import { organizations } from "./contacts.table.ts";

const toOrganization = (r: typeof organizations.$inferSelect): TOrganization => ({
  id: r.id,
  name: r.name,
  domains: r.domains,
  notes: r.notes,
  tags: r.tags,
  accountOwnerId: r.accountOwnerId,
  createdAt: r.createdAt.toISOString(),
});

async function assertValid(
  db: DbOrTx,
  input: { name?: string; accountOwnerId?: string | null },
  exceptId?: string,
) {
  if (input.name) {
    const [row] = await db
      .select({ id: organizations.id })
      .from(organizations)
      .where(sql`lower(${organizations.name}) = ${input.name.toLowerCase()}`);
    if (row && row.id !== exceptId)
      throw conflict("An organization with this name exists", { field: "name" });
  }
  if (input.accountOwnerId) {
    const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.accountOwnerId));
    if (!owner) throw notFound("User");
  }
}

export async function listOrganizations(ctx: Ctx, q?: string): Promise<TOrganization[]> {
  requireAgent(ctx.actor);
  const folded = q ? foldText(q).trim() : "";
  const rows = await ctx.db
    .select()
    .from(organizations)
    .where(folded ? sql`${organizations.searchName} like ${containsPattern(folded)}` : undefined)
    .orderBy(asc(organizations.name))
    .limit(500);
  return rows.map(toOrganization);
}

export async function getOrganization(ctx: Ctx, id: string): Promise<TOrganization> {
  requireAgent(ctx.actor);
  const [row] = await ctx.db.select().from(organizations).where(eq(organizations.id, id));
  if (!row) throw notFound("Organization");
  return toOrganization(row);
}

export async function createOrganization(ctx: Ctx, input: TCreateOrganization): Promise<TOrganization> {
  requireAgent(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    await assertValid(tx, input);
    const [row] = await tx
      .insert(organizations)
      .values({ ...input, searchName: foldText([input.name, ...input.domains].join(" ")) })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    return toOrganization(row);
  });
}

export async function updateOrganization(
  ctx: Ctx,
  id: string,
  patch: TUpdateOrganization,
): Promise<TOrganization> {
  requireAgent(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    await assertValid(tx, patch, id);
    const [row] = await tx
      .update(organizations)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(organizations.id, id))
      .returning();
    if (!row) throw notFound("Organization");
    const [fresh] = await tx
      .update(organizations)
      .set({ searchName: foldText([row.name, ...row.domains].join(" ")) })
      .where(eq(organizations.id, id))
      .returning();
    return toOrganization(fresh ?? row);
  });
}
