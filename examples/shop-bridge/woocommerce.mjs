#!/usr/bin/env node
/**
 * An example bridge from WooCommerce to Rapport's signed order intake (docs/customer-value.md).
 *
 * WooCommerce -> Settings -> Advanced -> Webhooks: add "Order created" and "Order updated"
 * webhooks delivering to this bridge (http://<bridge>:8787/woocommerce) with a secret.
 * The bridge checks WooCommerce's signature (X-WC-Webhook-Signature: base64 HMAC-SHA256 of the
 * body), maps the order and posts it to Rapport signed with the shop secret.
 *
 *   WC_SECRET=... RAPPORT_INTAKE_URL=https://rapport.example/api/v1/orders/intake/<key> \
 *   RAPPORT_SHOP_SECRET=shpsec_... node examples/shop-bridge/woocommerce.mjs
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";

const { WC_SECRET, RAPPORT_INTAKE_URL, RAPPORT_SHOP_SECRET } = process.env;
const PORT = Number(process.env.PORT ?? 8787);
if (!WC_SECRET || !RAPPORT_INTAKE_URL || !RAPPORT_SHOP_SECRET) {
  console.error("Set WC_SECRET, RAPPORT_INTAKE_URL and RAPPORT_SHOP_SECRET");
  process.exit(1);
}

/** WooCommerce statuses -> Rapport's. */
const STATUS = {
  pending: "placed",
  "on-hold": "placed",
  processing: "paid",
  completed: "delivered",
  cancelled: "cancelled",
  refunded: "refunded",
  failed: "cancelled",
};

/** Minor units: WooCommerce sends decimal strings; the currency's own digits decide. */
function minor(amount, currency) {
  const digits =
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return Math.round(Number(amount || 0) * 10 ** digits);
}

export function mapOrder(o) {
  const currency = String(o.currency || "USD").toUpperCase();
  const billing = o.billing ?? {};
  return {
    id: String(o.id),
    number: String(o.number ?? o.id),
    placedAt: new Date(o.date_created_gmt ? `${o.date_created_gmt}Z` : Date.now()).toISOString(),
    status: STATUS[o.status] ?? "placed",
    currency,
    totalMinor: minor(o.total, currency),
    discountMinor: minor(o.discount_total, currency),
    coupon: o.coupon_lines?.[0]?.code ?? null,
    channel: o.created_via || "woocommerce",
    customer: {
      ...(billing.email ? { email: billing.email } : {}),
      ...(billing.phone ? { phone: billing.phone } : {}),
      name: [billing.first_name, billing.last_name].filter(Boolean).join(" ") || undefined,
    },
    items: (o.line_items ?? []).slice(0, 500).map((li) => ({
      sku: String(li.sku ?? ""),
      name: String(li.name ?? "item"),
      quantity: Math.max(1, Number(li.quantity) || 1),
      unitPriceMinor: minor(li.price, currency),
    })),
  };
}

async function forward(order) {
  const body = JSON.stringify(order);
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = createHmac("sha256", RAPPORT_SHOP_SECRET).update(`${ts}.${body}`).digest("hex");
  for (let attempt = 1; attempt <= 5; attempt++) {
    const r = await fetch(RAPPORT_INTAKE_URL, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-rapport-signature": `sha256=${sig}`,
        "x-rapport-timestamp": ts,
      },
    });
    // 2xx: done; 409: Rapport has this exact call already; other 4xx: a mapping problem, do not retry.
    if (r.ok || r.status === 409) return r.status;
    if (r.status < 500 && r.status !== 429) {
      console.error("Rapport refused the order", order.id, r.status, await r.text());
      return r.status;
    }
    await new Promise((res) => setTimeout(res, 2 ** attempt * 1000));
  }
  return 503;
}

http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const raw = Buffer.concat(chunks);
      const expected = createHmac("sha256", WC_SECRET).update(raw).digest();
      const given = Buffer.from(String(req.headers["x-wc-webhook-signature"] ?? ""), "base64");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end();
        return;
      }
      try {
        const status = await forward(mapOrder(JSON.parse(raw.toString("utf8"))));
        res.writeHead(status < 500 ? 200 : 502).end();
      } catch (e) {
        console.error(e);
        res.writeHead(500).end();
      }
    });
  })
  .listen(PORT, "127.0.0.1", () => console.log(`WooCommerce bridge on http://127.0.0.1:${PORT}/woocommerce`));
