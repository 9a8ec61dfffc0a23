import { LOCALES, type Locale } from "@rapport/shared";
import { eq, sql } from "drizzle-orm";
import { requireAgent, requireCan } from "../../auth/policies.ts";
import { publicUrlProblem } from "../../config.ts";
import type { Ctx, Services } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { insertUser } from "../users/users.service.ts";
import { users } from "../users/users.table.ts";
import type { TSettings, TSetup, TUpdateSettings } from "./settings.schema.ts";
import { settings } from "./settings.table.ts";

const asLocale = (v: string): Locale => ((LOCALES as readonly string[]).includes(v) ? (v as Locale) : "en");
const toSettings = (row: typeof settings.$inferSelect): TSettings => ({
  name: row.name,
  defaultLanguage: asLocale(row.defaultLanguage),
  timeZone: row.timeZone,
});

export async function readSettings(db: DbOrTx): Promise<TSettings | null> {
  const [row] = await db.select().from(settings).where(eq(settings.id, 1));
  return row ? toSettings(row) : null;
}

export async function needsSetup(svc: Services): Promise<boolean> {
  const [row] = await svc.db.select({ n: sql<number>`count(*)::int` }).from(users);
  return (row?.n ?? 0) === 0;
}

/**
 * First run: creates the organization and the first admin, only while no user
 * exists. A lock on the settings table serializes concurrent attempts, so two
 * racing requests cannot both succeed.
 */
export async function runSetup(svc: Services, input: TSetup) {
  return svc.db.transaction(async (tx) => {
    await tx.execute(sql`lock table settings in exclusive mode`);
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(users);
    if ((count?.n ?? 0) > 0) throw new AppError("setup_done", 409, "Rapport is already set up");
    const [row] = await tx
      .insert(settings)
      .values({ id: 1, ...input.organization })
      .onConflictDoUpdate({ target: settings.id, set: { ...input.organization, updatedAt: new Date() } })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    const admin = await insertUser(tx, {
      ...input.admin,
      role: "admin",
      languages: [input.organization.defaultLanguage],
      locale: input.organization.defaultLanguage,
      timeZone: input.organization.timeZone,
      teamIds: [],
    });
    return { organization: toSettings(row), admin };
  });
}

export async function getSettings(ctx: Ctx): Promise<TSettings> {
  requireAgent(ctx.actor);
  const s = await readSettings(ctx.db);
  if (!s) throw notFound("Settings");
  return s;
}

/** The one public address for snippets and links (config.publicUrl), for any signed-in agent. */
export function publicAddress(ctx: Ctx) {
  requireAgent(ctx.actor);
  const { publicUrl, host } = ctx.config;
  return { publicUrl: publicUrl.replace(/\/$/, ""), host, warning: publicUrlProblem(ctx.config) };
}

export async function updateSettings(ctx: Ctx, patch: TUpdateSettings): Promise<TSettings> {
  requireCan(ctx.actor, "settings.manage");
  const [row] = await ctx.db
    .update(settings)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(settings.id, 1))
    .returning();
  if (!row) throw notFound("Settings");
  return toSettings(row);
}
