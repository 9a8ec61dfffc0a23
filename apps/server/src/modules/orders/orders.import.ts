import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { DbOrTx } from "../../db/client.ts";
import { currencyDigits } from "../value/loyalty.ts";
import { upsertShopOrder } from "./intake.ts";
import { type TIntakeOrder, ZIntakeOrder } from "./orders.schema.ts";

/**
 * Orders from a CSV file, through the import wizard and CLI (docs/custom-fields-and-import.md):
 * the imports module uploads, maps, checks and runs the file in one transaction; this file turns
 * rows into orders. A row is an order, or a line item of one: rows that repeat an order's id (or
 * number) add items to it, as shop exports (Shopify, WooCommerce) write them. Each order is
 * checked with the shop intake's schema and written by the intake's own upsert (the same order id
 * again updates that order: a refund in a later export takes its points back).
 */

export const ORDER_IMPORT_TARGETS = [
  "id",
  "number",
  "placedAt",
  "status",
  "currency",
  "total",
  "discount",
  "coupon",
  "channel",
  "email",
  "phone",
  "name",
  "sku",
  "itemName",
  "quantity",
  "unitPrice",
] as const;

/** Header spellings per target (folded: lower case, no diacritics, letters and digits only). */
export const ORDER_IMPORT_SYNONYMS: Record<string, string[]> = {
  id: ["id", "orderid", "externalid", "madonhang"],
  number: ["number", "ordernumber", "orderno", "order", "sodonhang"],
  placedAt: ["placedat", "date", "orderdate", "createdat", "paidat", "ngaydat", "ngay"],
  status: ["status", "financialstatus", "orderstatus", "trangthai"],
  currency: ["currency", "tiente"],
  total: ["total", "ordertotal", "amount", "tongtien", "thanhtien"],
  discount: ["discount", "discountamount", "giamgia"],
  coupon: ["coupon", "discountcode", "couponcode", "voucher", "magiamgia"],
  channel: ["channel", "store", "source", "shop", "kenh", "cuahang"],
  sku: ["sku", "lineitemsku", "masanpham"],
  itemName: ["itemname", "lineitemname", "product", "productname", "item", "sanpham", "tensanpham"],
  quantity: ["quantity", "qty", "lineitemquantity", "soluong"],
  unitPrice: ["unitprice", "price", "lineitemprice", "dongia", "gia"],
};

export type OrderRowError = { target: string; code: string; message: string };
type Pending = {
  line: number;
  order: Record<string, unknown>;
  items: Array<Record<string, unknown>>;
  /** A line of this order was reported already: the schema check would only repeat it. */
  reported: boolean;
};

const STATUS_WORDS: Record<string, TIntakeOrder["status"]> = {
  placed: "placed",
  pending: "placed",
  open: "placed",
  paid: "paid",
  completed: "delivered",
  complete: "delivered",
  fulfilled: "shipped",
  shipped: "shipped",
  delivered: "delivered",
  cancelled: "cancelled",
  canceled: "cancelled",
  refunded: "refunded",
};

/** A decimal amount in the currency's major units ("12.50", "450000") as integer minor units. */
export function toMinor(raw: string, currency: string): number | null {
  const s = raw.replace(/[\s,_]/g, "");
  const m = /^(\d{1,15})(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const digits = currencyDigits(currency);
  const frac = m[2] ?? "";
  if (frac.replace(/0+$/, "").length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, "0").slice(0, digits) || 0);
}

/** An ISO date-time with an offset, a date (midnight UTC) or "YYYY-MM-DD HH:MM[:SS]" (UTC). */
export function toPlacedAt(raw: string): string | null {
  const s = raw.trim();
  const local = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$/.exec(s);
  const iso = local
    ? `${local[1]}T${(local[2] ?? "00:00").padEnd(8, ":00").slice(0, 8)}Z`
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)
      ? s
      : null;
  if (!iso || Number.isNaN(Date.parse(iso))) return null;
  return new Date(iso).toISOString();
}

/** Collects the file's rows into orders; errors are reported per line and target. */
export class OrderRows {
  private byKey = new Map<string, Pending>();
  constructor(
    private defaultCountry: string | undefined,
    private report: (line: number, e: OrderRowError) => void,
  ) {}

  add(line: number, v: Record<string, string>) {
    let reported = false;
    const err = (target: string, code: string, message: string) => {
      reported = true;
      this.report(line, { target, code, message });
    };
    const key = v.id || v.number;
    if (!key)
      return err(
        v.id === undefined ? "number" : "id",
        "missing_required",
        "an order id or number is required",
      );
    const item = this.item(v, err);
    const seen = this.byKey.get(key);
    if (seen) {
      // A line item of an order started on an earlier line.
      if (item) seen.items.push(item);
      seen.reported ||= reported;
      return;
    }
    const currency = (v.currency ?? "").toUpperCase();
    const total = toMinor(v.total ?? "", currency);
    if (total === null)
      err(
        "total",
        "invalid_amount",
        `not an amount in ${currency || "the currency"}: ${(v.total ?? "").slice(0, 40)}`,
      );
    const discount = v.discount ? toMinor(v.discount, currency) : 0;
    if (discount === null)
      err("discount", "invalid_amount", `not an amount: ${(v.discount ?? "").slice(0, 40)}`);
    const placedAt = toPlacedAt(v.placedAt ?? "");
    if (!placedAt)
      err(
        "placedAt",
        "invalid_date",
        `not a date such as 2026-11-15 or 2026-11-15T08:00:00+07:00: ${(v.placedAt ?? "").slice(0, 40)}`,
      );
    const status = v.status ? STATUS_WORDS[v.status.trim().toLowerCase()] : "paid";
    if (!status) err("status", "invalid_status", `one of ${Object.keys(STATUS_WORDS).join(", ")}`);
    let phone: string | undefined;
    if (v.phone) {
      // biome-ignore lint/suspicious/noExplicitAny: libphonenumber's CountryCode union is checked at run time
      const parsed = parsePhoneNumberFromString(v.phone, this.defaultCountry as any);
      if (parsed?.isValid()) phone = parsed.number;
      else err("phone", "invalid_phone", `not a valid phone number: ${v.phone.slice(0, 40)}`);
    }
    if (!v.email && !v.phone) err("email", "missing_required", "the customer's email or phone is required");
    const customer: Record<string, string> = {};
    if (v.email) customer.email = v.email;
    if (phone) customer.phone = phone;
    if (v.name) customer.name = v.name;
    this.byKey.set(key, {
      line,
      reported,
      items: item ? [item] : [],
      order: {
        id: key,
        number: v.number || key,
        placedAt: placedAt ?? "",
        status: status ?? "paid",
        currency,
        totalMinor: total ?? 0,
        discountMinor: discount ?? 0,
        coupon: v.coupon || null,
        channel: v.channel || null,
        customer,
      },
    });
  }

  private item(v: Record<string, string>, err: (target: string, code: string, message: string) => void) {
    if (!v.sku && !v.itemName && !v.quantity && !v.unitPrice) return null;
    const quantity = v.quantity ? Number(v.quantity) : 1;
    if (!Number.isInteger(quantity) || quantity < 1)
      err("quantity", "invalid_quantity", `a whole number of at least 1: ${(v.quantity ?? "").slice(0, 20)}`);
    const currency = (v.currency ?? "").toUpperCase();
    const price = v.unitPrice ? toMinor(v.unitPrice, currency) : 0;
    if (price === null)
      err("unitPrice", "invalid_amount", `not an amount: ${(v.unitPrice ?? "").slice(0, 40)}`);
    return { sku: v.sku ?? "", name: v.itemName || v.sku || "item", quantity, unitPriceMinor: price ?? 0 };
  }

  /** The orders, each checked against the intake's schema (problems reported on its first line). */
  finish(): Array<{ line: number; order: TIntakeOrder }> {
    const out: Array<{ line: number; order: TIntakeOrder }> = [];
    for (const p of this.byKey.values()) {
      if (p.reported) continue;
      const parsed = ZIntakeOrder.safeParse({ ...p.order, items: p.items });
      if (parsed.success) out.push({ line: p.line, order: parsed.data });
      else
        for (const i of parsed.error.issues) {
          const path = i.path.map(String);
          const target =
            path[0] === "customer"
              ? (path[1] ?? "email")
              : path[0] === "totalMinor"
                ? "total"
                : path[0] === "discountMinor"
                  ? "discount"
                  : path[0] === "items"
                    ? path[2] === "unitPriceMinor"
                      ? "unitPrice"
                      : path[2] === "name"
                        ? "itemName"
                        : (path[2] ?? "sku")
                    : (path[0] ?? "row");
          this.report(p.line, { target, code: "invalid_value", message: `${path.join(".")}: ${i.message}` });
        }
    }
    return out;
  }
}

/**
 * Writes checked orders in the import's transaction through the intake's upsert: the customer
 * matched by email, then phone, else created; values refreshed; points earned or taken back.
 */
export async function writeImportedOrders(
  tx: DbOrTx,
  list: ReadonlyArray<{ order: TIntakeOrder }>,
  now: Date,
  onProgress?: (done: number, total: number) => void,
) {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const [n, { order }] of list.entries()) {
    const r = await upsertShopOrder(tx, null, order, now, "import");
    counts[r.status]++;
    if ((n + 1) % 200 === 0 || n + 1 === list.length) onProgress?.(n + 1, list.length);
  }
  return counts;
}
