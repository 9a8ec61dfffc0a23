import { VALUE_FIELDS, type ValueField } from "@rapport/shared";
import { eq, inArray, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.ts";
import { contacts } from "../contacts/contacts.table.ts";
import type { Uow } from "../tickets/unit-of-work.ts";
import { DAY_MS } from "./rfm.ts";
import { customerValues, loyaltyTiers } from "./value.table.ts";

/**
 * The loyalty tier of the contact `contactId` (an SQL column of the outer query) for the badge,
 * as a scalar subquery (`{name, color}` or null): inbox rows, the ticket, the agent's live chats.
 */
export const tierBadgeOf = (contactId: SQL) =>
  sql<{ name: string; color: string } | null>`(select json_build_object('name', lt.name, 'color', lt.color)
  from customer_values cv join loyalty_tiers lt on lt.id = cv.tier_id where cv.contact_id = ${contactId})`;

/**
 * What SLA policies and triggers (routing rules are triggers with an `assign` action) may test
 * about a ticket's requester: `value.<name>`. Read with the requester's contact row, in the same
 * statement, once per unit of work (docs/customer-value.md).
 */
export { VALUE_FIELDS, type ValueField };
export const isValueField = (name: string): name is ValueField =>
  (VALUE_FIELDS as readonly string[]).includes(name);

const valueColumns = {
  segment: customerValues.segment,
  purchases: customerValues.purchases,
  frequency: customerValues.frequency,
  lifetimeMinor: customerValues.lifetimeMinor,
  monetaryMinor: customerValues.monetaryMinor,
  lastPurchaseAt: customerValues.lastPurchaseAt,
  points: customerValues.points,
  relationshipType: customerValues.relationshipType,
  relationshipSuggested: customerValues.relationshipSuggested,
  rScore: customerValues.rScore,
  fScore: customerValues.fScore,
  mScore: customerValues.mScore,
  tierName: loyaltyTiers.name,
  tierRank: loyaltyTiers.rank,
};
type ValueRow = { [K in keyof typeof valueColumns]: (typeof valueColumns)[K]["_"]["data"] | null };

const primaryEmail = sql<
  string | null
>`(select ce.email from contact_emails ce where ce.contact_id = contacts.id order by ce.is_primary desc, ce.created_at limit 1)`;

export type Requester = {
  contact: typeof contacts.$inferSelect;
  email: string | null;
  value: ValueRow;
};

/** Requesters with their primary email and value figures: one statement. */
export async function readRequesters(tx: DbOrTx, ids: readonly string[]): Promise<Requester[]> {
  if (ids.length === 0) return [];
  return tx
    .select({ contact: contacts, email: primaryEmail, value: valueColumns })
    .from(contacts)
    .leftJoin(customerValues, eq(customerValues.contactId, contacts.id))
    .leftJoin(loyaltyTiers, eq(loyaltyTiers.id, customerValues.tierId))
    .where(ids.length === 1 ? eq(contacts.id, ids[0] as string) : inArray(contacts.id, [...ids]));
}

/** The same, read once per unit of work for all the steps that ask (triggers, SLA). */
export async function requestersIn(uow: Uow, ids: readonly string[]): Promise<Map<string, Requester>> {
  const known = await uow.memo("value:requesters", async () => new Map<string, Requester | null>());
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  if (missing.length > 0) {
    const rows = await readRequesters(uow.tx, missing);
    for (const id of missing) known.set(id, rows.find((r) => r.contact.id === id) ?? null);
  }
  const out = new Map<string, Requester>();
  for (const id of ids) {
    const r = known.get(id);
    if (r) out.set(id, r);
  }
  return out;
}

/** One value field of a requester (a customer without orders: no purchase, nothing spent). */
export function valueFact(v: ValueRow | null | undefined, name: string, now: Date): unknown {
  switch (name as ValueField) {
    case "segment":
      return v?.segment ?? "no_purchase";
    case "tier":
      return v?.tierName ?? null;
    case "tier_rank":
      return v?.tierRank ?? null;
    case "lifetime_spent":
      return v?.lifetimeMinor ?? 0;
    case "window_spent":
      return v?.monetaryMinor ?? 0;
    case "purchases":
      return v?.purchases ?? 0;
    case "frequency":
      return v?.frequency ?? 0;
    case "days_since_purchase":
      return v?.lastPurchaseAt ? (now.getTime() - v.lastPurchaseAt.getTime()) / DAY_MS : null;
    case "points":
      return v?.points ?? 0;
    case "relationship_type":
      return v?.relationshipType ?? v?.relationshipSuggested ?? null;
    case "r_score":
      return v?.rScore ?? null;
    case "f_score":
      return v?.fScore ?? null;
    case "m_score":
      return v?.mScore ?? null;
  }
  return undefined;
}

/**
 * The same figures as SQL over a ticket's requester, for custom views (`filters.value`): each
 * expression reads `customer_values` and `loyalty_tiers`, which the caller joins on the
 * requester; a customer without a value row is no purchase, nothing spent, like `valueFact`.
 */
export function valueFactSql(name: ValueField, now: Date) {
  const cv = customerValues;
  switch (name) {
    case "segment":
      return sql`coalesce(${cv.segment}, 'no_purchase')`;
    case "tier":
      return sql`lower(${loyaltyTiers.name})`;
    case "tier_rank":
      return sql`${loyaltyTiers.rank}`;
    case "lifetime_spent":
      return sql`coalesce(${cv.lifetimeMinor}, 0)`;
    case "window_spent":
      return sql`coalesce(${cv.monetaryMinor}, 0)`;
    case "purchases":
      return sql`coalesce(${cv.purchases}, 0)`;
    case "frequency":
      return sql`coalesce(${cv.frequency}, 0)`;
    case "days_since_purchase":
      return sql`(extract(epoch from (${now.toISOString()}::timestamptz - ${cv.lastPurchaseAt})) / 86400)`;
    case "points":
      return sql`coalesce(${cv.points}, 0)`;
    case "relationship_type":
      return sql`coalesce(${cv.relationshipType}, ${cv.relationshipSuggested})`;
    case "r_score":
      return sql`${cv.rScore}`;
    case "f_score":
      return sql`${cv.fScore}`;
    case "m_score":
      return sql`${cv.mScore}`;
  }
}

export type ValueCondition = { field: ValueField; op: "is" | "in" | "gt" | "lt"; value: unknown };

/** A ticket condition: the requester's figure compared as `op` (one subquery on the requester). */
export function valueConditionSql(requesterId: SQL, c: ValueCondition, now: Date): SQL {
  const fact = valueFactSql(c.field, now);
  const text = (v: unknown) => (c.field === "tier" ? String(v).toLowerCase() : String(v));
  const cmp =
    c.op === "gt"
      ? sql`${fact} > ${Number(c.value)}`
      : c.op === "lt"
        ? sql`${fact} < ${Number(c.value)}`
        : c.op === "in"
          ? sql`${fact}::text in (select jsonb_array_elements_text(${JSON.stringify((c.value as unknown[]).map(text))}::jsonb))`
          : sql`${fact}::text = ${text(c.value)}`;
  return sql`coalesce((select ${cmp} from (select 1) one
    left join ${customerValues} on ${customerValues.contactId} = ${requesterId}
    left join ${loyaltyTiers} on ${loyaltyTiers.id} = ${customerValues.tierId}), false)`;
}
