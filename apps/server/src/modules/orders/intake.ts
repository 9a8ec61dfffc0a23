import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Config } from "../../config.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { verifySignedCall } from "../channels/inbound.ts";
import { derive } from "../channels/keys.ts";
import { matchContact } from "../channels/match.ts";
import { earnPoints, settlePoints } from "../value/value.loyalty.ts";
import { refreshContactValues } from "../value/value.refresh.ts";
import { type TIntakeOrder, ZIntakeOrder } from "./orders.schema.ts";
import { orderValues } from "./orders.service.ts";
import { byExternalId, orderIntake, orderShops, orders } from "./orders.table.ts";

/**
 * The signed order intake for shops (docs/customer-value.md): the webhook channel's scheme
 * (HMAC-SHA256 over `${timestamp}.${rawBody}`, 300 s window, a signature seen before is a
 * replay). Every refusal happens before anything is written; an accepted call's raw body is
 * stored in the same transaction as the order it makes, and a malformed one is kept, marked
 * refused, for diagnosis. Idempotent on the shop's order id: the same id again updates that
 * order (a status change), never a second one.
 */

type ShopRow = typeof orderShops.$inferSelect;
type Headers = Record<string, string | string[] | undefined>;

export const shopSecret = (config: Pick<Config, "dataDir">, s: Pick<ShopRow, "id" | "secretSalt">) =>
  `shpsec_${derive(config, "order-shop-secret", s.id, s.secretSalt).toString("base64url")}`;
const fingerprint = (secret: string) => createHash("sha256").update(secret).digest("hex").slice(0, 12);
export const intakePath = (key: string) => `/api/v1/orders/intake/${key}`;

const refused = (status: number, reason: string, message: string, details?: object) =>
  new AppError(
    status === 400
      ? "validation_failed"
      : status === 409
        ? "conflict"
        : status === 404
          ? "not_found"
          : "unauthenticated",
    status,
    message,
    { reason, ...details },
  );

export async function receiveOrder(ctx: Ctx, key: string, raw: Buffer, headers: Headers) {
  const [shop] = await ctx.db.select().from(orderShops).where(eq(orderShops.inboundKey, key));
  if (!shop?.active) throw refused(404, "unknown_shop", "No active shop at this URL");
  const call = verifySignedCall(
    raw,
    headers,
    shopSecret(ctx.config, shop),
    ctx.now().getTime(),
    "shop secret",
  );
  if (!call.ok) throw refused(call.status, call.reason, call.message);
  const { signature, text } = call;
  const signatureHash = createHash("sha256").update(signature).digest("hex");
  const [seen] = await ctx.db
    .select({ id: orderIntake.id })
    .from(orderIntake)
    .where(and(eq(orderIntake.shopId, shop.id), eq(orderIntake.signatureHash, signatureHash)));
  if (seen) throw refused(409, "replayed", "This call was received before; refused as a replay");
  let payload: TIntakeOrder;
  try {
    const parsed = ZIntakeOrder.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw refused(400, "malformed", "The order is malformed", {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    payload = parsed.data;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw refused(400, "malformed", "The body is not JSON");
  }
  // Stored (and committed) before the order is written: a failure below never loses the shop's call.
  const [stored] = await ctx.db
    .insert(orderIntake)
    .values({ shopId: shop.id, signatureHash, rawBody: text, receivedAt: ctx.now() })
    .onConflictDoNothing()
    .returning({ id: orderIntake.id });
  if (!stored) throw refused(409, "replayed", "This call was received before; refused as a replay");
  try {
    return await ctx.db.transaction(async (tx) => {
      const result = await upsertShopOrder(tx, shop.id, payload, ctx.now());
      await tx
        .update(orderIntake)
        .set({ status: "processed", orderId: result.orderId })
        .where(eq(orderIntake.id, stored.id));
      return result;
    });
  } catch (e) {
    await ctx.db
      .update(orderIntake)
      .set({ status: "failed", error: String(e).slice(0, 2000) })
      .where(eq(orderIntake.id, stored.id));
    throw e;
  }
}

/** Creates the shop's (or a CSV file's) order, or applies the changes of a known one; refreshes the customer's value. */
export async function upsertShopOrder(
  tx: DbOrTx,
  shopId: string | null,
  o: TIntakeOrder,
  now: Date,
  source: "intake" | "import" = "intake",
) {
  const [existing] = await tx.select().from(orders).where(byExternalId(shopId, o.id)).for("update");
  const fields = {
    number: o.number ?? o.id,
    externalId: o.id,
    placedAt: o.placedAt,
    status: o.status,
    currency: o.currency,
    totalMinor: o.totalMinor,
    discountMinor: o.discountMinor,
    coupon: o.coupon,
    channel: o.channel,
    items: o.items,
  };
  if (existing) {
    const next = orderValues(existing, fields, { shopId, source: "intake", now });
    const same =
      existing.status === next.status &&
      existing.totalMinor === next.totalMinor &&
      existing.discountMinor === next.discountMinor &&
      existing.currency === next.currency &&
      existing.placedAt.getTime() === (next.placedAt as Date).getTime() &&
      (existing.coupon ?? null) === (next.coupon ?? null) &&
      JSON.stringify(existing.items) === JSON.stringify(next.items);
    if (same) return { status: "unchanged" as const, orderId: existing.id };
    const { contactId: _c, organizationId: _o, createdAt: _a, source: _s, ...changes } = next;
    await tx.update(orders).set(changes).where(eq(orders.id, existing.id));
    await refreshContactValues(tx, [existing.contactId], now);
    await settlePoints(tx, [existing.id], now);
    return { status: "updated" as const, orderId: existing.id };
  }
  const contact = await matchContact(tx, {
    email: o.customer.email ?? null,
    phone: o.customer.phone ?? null,
    name: o.customer.name ?? null,
  });
  const [row] = await tx
    .insert(orders)
    .values(orderValues(contact, fields, { shopId, source, now }))
    .returning({ id: orders.id });
  if (!row) throw new Error("insert returned nothing");
  await refreshContactValues(tx, [contact.id], now);
  await earnPoints(tx, [row.id], now);
  return { status: "created" as const, orderId: row.id };
}

// ---- Shops (admins) ------------------------------------------------------------------------

function toShop(config: Config, r: ShopRow) {
  return {
    id: r.id,
    name: r.name,
    intakeUrl: `${config.publicUrl.replace(/\/$/, "")}${intakePath(r.inboundKey)}`,
    active: r.active,
    secretFingerprint: r.secretFingerprint,
    createdAt: r.createdAt.toISOString(),
  };
}

export async function createShop(ctx: Ctx, input: { name: string }) {
  const admin = requireCan(ctx.actor, "orders.intake");
  const id = crypto.randomUUID();
  const secretSalt = randomBytes(16).toString("base64url");
  const secret = shopSecret(ctx.config, { id, secretSalt });
  const [row] = await ctx.db
    .insert(orderShops)
    .values({
      id,
      name: input.name,
      inboundKey: randomBytes(18).toString("base64url"),
      secretSalt,
      secretFingerprint: fingerprint(secret),
      createdById: admin.userId,
      createdAt: ctx.now(),
      updatedAt: ctx.now(),
    })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return { ...toShop(ctx.config, row), secret };
}

export async function listShops(ctx: Ctx) {
  requireCan(ctx.actor, "orders.intake");
  const rows = await ctx.db.select().from(orderShops).orderBy(desc(orderShops.createdAt));
  return { items: rows.map((r) => toShop(ctx.config, r)) };
}

export async function updateShop(
  ctx: Ctx,
  id: string,
  patch: { name?: string | undefined; active?: boolean | undefined },
) {
  requireCan(ctx.actor, "orders.intake");
  const [row] = await ctx.db
    .update(orderShops)
    .set({ ...patch, updatedAt: ctx.now() })
    .where(eq(orderShops.id, id))
    .returning();
  if (!row) throw notFound("Shop");
  return toShop(ctx.config, row);
}

export async function rotateShopSecret(ctx: Ctx, id: string) {
  requireCan(ctx.actor, "orders.intake");
  const secretSalt = randomBytes(16).toString("base64url");
  const secret = shopSecret(ctx.config, { id, secretSalt });
  const [row] = await ctx.db
    .update(orderShops)
    .set({ secretSalt, secretFingerprint: fingerprint(secret), updatedAt: ctx.now() })
    .where(eq(orderShops.id, id))
    .returning();
  if (!row) throw notFound("Shop");
  return { ...toShop(ctx.config, row), secret };
}
