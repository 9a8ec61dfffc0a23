import { createHash, randomBytes } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Config } from "../../config.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { notFound } from "../../lib/errors.ts";
import { assertOutboundUrl } from "../../lib/ssrf.ts";
import { teams } from "../teams/teams.table.ts";
import type { TChannel } from "./channels.schema.ts";
import { channelRefusals, webhookChannels } from "./channels.table.ts";
import { derive } from "./keys.ts";

export type ChannelRow = typeof webhookChannels.$inferSelect;

/**
 * A channel's secret: derived from the server key, the channel id and its salt, so the
 * database holds no secret (decision 0007). Rotating replaces the salt.
 */
export const channelSecret = (config: Pick<Config, "dataDir">, ch: Pick<ChannelRow, "id" | "secretSalt">) =>
  `whsec_${derive(config, "webhook-channel-secret", ch.id, ch.secretSalt).toString("base64url")}`;

const fingerprint = (secret: string) => createHash("sha256").update(secret).digest("hex").slice(0, 12);

export const inboundPath = (key: string) => `/api/v1/channels/inbound/${key}`;

async function toChannel(db: DbOrTx, config: Config, r: ChannelRow): Promise<TChannel> {
  const [team] = r.teamId
    ? await db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, r.teamId))
    : [];
  return {
    id: r.id,
    name: r.name,
    inboundUrl: `${config.publicUrl.replace(/\/$/, "")}${inboundPath(r.inboundKey)}`,
    outboundUrl: r.outboundUrl,
    team: team ?? null,
    active: r.active,
    secretFingerprint: r.secretFingerprint,
    createdAt: r.createdAt.toISOString(),
  };
}

async function assertTeam(db: DbOrTx, teamId: string | null | undefined) {
  if (!teamId) return;
  const [t] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!t) throw notFound("Team");
}

export async function createChannel(
  ctx: Ctx,
  input: { name: string; outboundUrl?: string | null; teamId?: string | null },
) {
  const admin = requireCan(ctx.actor, "channels.manage");
  await assertTeam(ctx.db, input.teamId);
  if (input.outboundUrl) await assertOutboundUrl(input.outboundUrl, "outboundUrl");
  const id = crypto.randomUUID();
  const secretSalt = randomBytes(16).toString("base64url");
  const secret = channelSecret(ctx.config, { id, secretSalt });
  const [row] = await ctx.db
    .insert(webhookChannels)
    .values({
      id,
      name: input.name,
      inboundKey: randomBytes(18).toString("base64url"),
      secretSalt,
      secretFingerprint: fingerprint(secret),
      outboundUrl: input.outboundUrl ?? null,
      teamId: input.teamId ?? null,
      createdById: admin.userId,
      createdAt: ctx.now(),
      updatedAt: ctx.now(),
    })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return { ...(await toChannel(ctx.db, ctx.config, row)), secret };
}

export async function rotateSecret(ctx: Ctx, id: string) {
  requireCan(ctx.actor, "channels.manage");
  const secretSalt = randomBytes(16).toString("base64url");
  const secret = channelSecret(ctx.config, { id, secretSalt });
  const [row] = await ctx.db
    .update(webhookChannels)
    .set({ secretSalt, secretFingerprint: fingerprint(secret), updatedAt: ctx.now() })
    .where(eq(webhookChannels.id, id))
    .returning();
  if (!row) throw notFound("Channel");
  return { ...(await toChannel(ctx.db, ctx.config, row)), secret };
}

export async function listChannels(ctx: Ctx) {
  requireCan(ctx.actor, "channels.manage");
  const rows = await ctx.db.select().from(webhookChannels).orderBy(webhookChannels.createdAt);
  return { items: await Promise.all(rows.map((r) => toChannel(ctx.db, ctx.config, r))) };
}

export async function updateChannel(
  ctx: Ctx,
  id: string,
  patch: { name?: string; outboundUrl?: string | null; teamId?: string | null; active?: boolean },
) {
  requireCan(ctx.actor, "channels.manage");
  await assertTeam(ctx.db, patch.teamId);
  if (patch.outboundUrl) await assertOutboundUrl(patch.outboundUrl, "outboundUrl");
  const [row] = await ctx.db
    .update(webhookChannels)
    .set({ ...patch, updatedAt: ctx.now() })
    .where(eq(webhookChannels.id, id))
    .returning();
  if (!row) throw notFound("Channel");
  return toChannel(ctx.db, ctx.config, row);
}

export async function listRefusals(ctx: Ctx, q: { channelId?: string; limit: number }) {
  requireCan(ctx.actor, "channels.manage");
  const rows = await ctx.db
    .select()
    .from(channelRefusals)
    .where(q.channelId ? eq(channelRefusals.channelId, q.channelId) : undefined)
    .orderBy(desc(channelRefusals.createdAt), desc(channelRefusals.id))
    .limit(q.limit);
  return {
    items: rows.map((r) => ({
      id: r.id,
      channelId: r.channelId,
      code: r.code,
      reason: r.reason,
      ip: r.ip,
      deliveryId: r.deliveryId,
      excerpt: r.excerpt,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}
