import { Readable } from "node:stream";
import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import { can, requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { badRequest, notFound } from "../../lib/errors.ts";
import { contactEmails, contacts, organizations } from "../contacts/contacts.table.ts";
import { contactEvents } from "../dossier/dossier.table.ts";
import { csvLine } from "../imports/csv.ts";
import { teams } from "../teams/teams.table.ts";
import { DAY_MS, NEVER_RETURN_ASSUMPTION, type Segment } from "./rfm.ts";
import { recomputeAllValues, suggestRelationship } from "./value.refresh.ts";
import type {
  TContactValue,
  TCustomersQuery,
  TSetRelationship,
  TTier,
  TUpdateValueSettings,
  TValueSettings,
} from "./value.schema.ts";
import { customerValues, loyaltyTiers, rfmSnapshots, valueSettings } from "./value.table.ts";

type SettingsRow = typeof valueSettings.$inferSelect;

export async function loadSettings(db: DbOrTx): Promise<SettingsRow> {
  const [row] = await db.select().from(valueSettings).where(eq(valueSettings.id, 1));
  if (row) return row;
  const [made] = await db.insert(valueSettings).values({ id: 1 }).onConflictDoNothing().returning();
  return made ?? (await loadSettings(db));
}

const toSettings = (s: SettingsRow): TValueSettings => ({
  baseCurrency: s.baseCurrency,
  rates: s.rates,
  windowMonths: s.windowMonths,
  defaultIntervalDays: s.defaultIntervalDays,
  minCustomersForOrgInterval: s.minCustomersForOrgInterval,
  reminderLeadDays: s.reminderLeadDays,
  reminderMode: s.reminderMode as TValueSettings["reminderMode"],
  reminderTemplate: s.reminderTemplate,
  reminderOffer: s.reminderOffer,
  reminderTeamId: s.reminderTeamId,
  pointsPerUnit: s.pointsPerUnit,
  pointsPerOrder: s.pointsPerOrder,
  pointsPerSku: s.pointsPerSku,
  pointsExpiryMonths: s.pointsExpiryMonths,
  orgIntervalDays: s.orgIntervalDays,
  recomputedAt: s.recomputedAt?.toISOString() ?? null,
});

export async function getValueSettings(ctx: Ctx) {
  requireCan(ctx.actor, "reports.read");
  return toSettings(await loadSettings(ctx.db));
}

/** Changes the settings, then recomputes every customer (window, rates and interval rules apply to all). */
export async function updateValueSettings(ctx: Ctx, patch: TUpdateValueSettings) {
  requireCan(ctx.actor, "value.manage");
  const current = await loadSettings(ctx.db);
  if (patch.rates && Object.keys(patch.rates).includes(patch.baseCurrency ?? current.baseCurrency))
    throw badRequest("The base currency needs no rate", { field: "rates" });
  if (patch.reminderTeamId) {
    const [team] = await ctx.db
      .select({ id: teams.id })
      .from(teams)
      .where(eq(teams.id, patch.reminderTeamId));
    if (!team) throw badRequest("No such team", { field: "reminderTeamId" });
  }
  await ctx.db
    .update(valueSettings)
    .set({
      ...patch,
      ...(patch.reminderTemplate
        ? { reminderTemplate: { ...current.reminderTemplate, ...patch.reminderTemplate } }
        : {}),
      updatedAt: ctx.now(),
    })
    .where(eq(valueSettings.id, 1));
  await recomputeAllValues(ctx.db, ctx.now());
  return toSettings(await loadSettings(ctx.db));
}

export async function recompute(ctx: Ctx) {
  requireCan(ctx.actor, "value.manage");
  return recomputeAllValues(ctx.db, ctx.now());
}

const rowsOf = <T>(r: unknown) => (r as { rows: T[] }).rows;

/** The matrix page: R × F cells, segment counts, their trend by quarter, the never-returned share. */
export async function matrix(ctx: Ctx) {
  requireCan(ctx.actor, "reports.read");
  const s = await loadSettings(ctx.db);
  const [cells, segments, trend] = await Promise.all([
    ctx.db
      .select({ r: customerValues.rScore, f: customerValues.fScore, customers: sql<number>`count(*)::int` })
      .from(customerValues)
      .where(sql`${customerValues.rScore} is not null`)
      .groupBy(customerValues.rScore, customerValues.fScore),
    ctx.db
      .select({ segment: customerValues.segment, customers: sql<number>`count(*)::int` })
      .from(customerValues)
      .where(gt(customerValues.purchases, 0))
      .groupBy(customerValues.segment),
    ctx.db.select().from(rfmSnapshots).orderBy(asc(rfmSnapshots.quarter), asc(rfmSnapshots.segment)),
  ]);
  const total = segments.reduce((n, x) => n + Number(x.customers), 0);
  const oneOff = segments.find((x) => x.segment === "one_off_forgotten")?.customers ?? 0;
  return {
    cells: cells.map((c) => ({ r: Number(c.r), f: Number(c.f), customers: Number(c.customers) })),
    segments: segments.map((x) => ({ segment: x.segment as Segment, customers: Number(x.customers) })),
    trend: trend.map((x) => ({ quarter: x.quarter, segment: x.segment as Segment, customers: x.customers })),
    customers: total,
    neverReturnedShare: total === 0 ? 0 : Number(oneOff) / total,
    planningAssumption: NEVER_RETURN_ASSUMPTION,
    orgIntervalDays: s.orgIntervalDays,
    baseCurrency: s.baseCurrency,
    windowMonths: s.windowMonths,
    recomputedAt: s.recomputedAt?.toISOString() ?? null,
    reminders: await reminderReport(ctx.db, ctx.now()),
  };
}

type CustomerRow = {
  contact_id: string;
  name: string;
  email: string | null;
  organization_id: string | null;
  segment: string;
  r_score: number | null;
  f_score: number | null;
  m_score: number | null;
  purchases: number;
  frequency: number;
  monetary_minor: string | number;
  lifetime_minor: string | number;
  first_purchase_at: string | Date | null;
  last_purchase_at: string | Date | null;
  interval_days: number;
  own_interval: boolean;
  next_reminder_at: string | Date | null;
  tier_id: string | null;
  tier_since: string | Date | null;
  points: number;
  relationship_type: string | null;
  relationship_suggested: string | null;
};
const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

function toCustomer(r: CustomerRow, now: Date) {
  const last = iso(r.last_purchase_at);
  return {
    contactId: r.contact_id,
    name: r.name,
    email: r.email,
    organizationId: r.organization_id,
    segment: r.segment as Segment,
    r: r.r_score,
    f: r.f_score,
    m: r.m_score,
    purchases: r.purchases,
    frequency: r.frequency,
    monetaryMinor: Number(r.monetary_minor),
    lifetimeMinor: Number(r.lifetime_minor),
    lastPurchaseAt: last,
    daysSinceLastPurchase: last ? Math.floor((now.getTime() - Date.parse(last)) / DAY_MS) : null,
    intervalDays: Math.round(r.interval_days * 10) / 10,
    nextReminderAt: iso(r.next_reminder_at),
  };
}

const CUSTOMER_COLUMNS = sql`v.contact_id, c.name, (select e.email from contact_emails e where e.contact_id = v.contact_id
    order by e.is_primary desc, e.created_at limit 1) as email, v.organization_id, v.segment, v.r_score, v.f_score,
  v.m_score, v.purchases, v.frequency, v.monetary_minor, v.lifetime_minor, v.first_purchase_at, v.last_purchase_at,
  v.interval_days, v.own_interval, v.next_reminder_at, v.tier_id, v.tier_since, v.points, v.relationship_type,
  v.relationship_suggested`;

async function customerPage(db: DbOrTx, q: TCustomersQuery, after: string | undefined, limit: number) {
  const conds: SQL[] = [sql`v.purchases > 0`];
  if (q.segment) conds.push(sql`v.segment = ${q.segment}`);
  if (q.r !== undefined) conds.push(sql`v.r_score = ${q.r}`);
  if (q.f !== undefined) conds.push(sql`v.f_score = ${q.f}`);
  if (after) conds.push(sql`v.contact_id > ${after}::uuid`);
  return rowsOf<CustomerRow>(
    await db.execute(sql`select ${CUSTOMER_COLUMNS} from customer_values v join contacts c on c.id = v.contact_id
      where ${sql.join(conds, sql` and `)} order by v.contact_id limit ${limit}`),
  );
}

/** Customers of a segment or a matrix cell (keyset over the contact id). */
export async function customers(ctx: Ctx, q: TCustomersQuery) {
  requireCan(ctx.actor, "reports.read");
  let after: string | undefined;
  if (q.cursor) {
    const [id] = decodeCursor(q.cursor, 1);
    if (typeof id !== "string" || !/^[0-9a-f-]{36}$/.test(id)) throw badRequest("Invalid cursor");
    after = id;
  }
  const rows = await customerPage(ctx.db, q, after, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => toCustomer(r, ctx.now())),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.contact_id]) : null,
  };
}

/** The same list as CSV, page by page (never the whole list in memory). */
export async function customersCsv(ctx: Ctx, q: TCustomersQuery): Promise<Readable> {
  requireCan(ctx.actor, "reports.read");
  const db = ctx.db;
  const now = ctx.now();
  const { baseCurrency } = await loadSettings(db);
  async function* lines() {
    yield "\uFEFF";
    yield csvLine([
      "contactId",
      "name",
      "email",
      "segment",
      "r",
      "f",
      "m",
      "purchases",
      "frequency",
      `monetary (${baseCurrency} minor units)`,
      `lifetime (${baseCurrency} minor units)`,
      "lastPurchaseAt",
      "daysSinceLastPurchase",
      "intervalDays",
      "nextReminderAt",
    ]);
    let after: string | undefined;
    for (;;) {
      const rows = await customerPage(db, q, after, 1000);
      let out = "";
      for (const r of rows) {
        const c = toCustomer(r, now);
        out += csvLine([
          c.contactId,
          c.name,
          c.email ?? "",
          c.segment,
          c.r ?? "",
          c.f ?? "",
          c.m ?? "",
          c.purchases,
          c.frequency,
          c.monetaryMinor,
          c.lifetimeMinor,
          c.lastPurchaseAt ?? "",
          c.daysSinceLastPurchase ?? "",
          c.intervalDays,
          c.nextReminderAt ?? "",
        ]);
      }
      if (out) yield out;
      const last = rows.at(-1);
      if (rows.length < 1000 || !last) return;
      after = last.contact_id;
    }
  }
  return Readable.from(lines());
}

export const toTier = (t: typeof loyaltyTiers.$inferSelect): TTier => ({
  id: t.id,
  name: t.name,
  rank: t.rank,
  minPoints: t.minPoints,
  minSpendMinor: t.minSpendMinor,
  discountPercent: t.discountPercent,
  routingPriority: t.routingPriority,
  benefits: t.benefits,
  color: t.color,
});

/** One customer's value: scores, segment, interval, next reminder, tier, points, relationship type. */
export async function contactValue(ctx: Ctx, contactId: string): Promise<TContactValue> {
  requireCan(ctx.actor, "contacts.read");
  const value = await loadContactValue(ctx.db, contactId, ctx.now());
  const [account] = await ctx.db
    .select({ accountOwnerId: organizations.accountOwnerId })
    .from(contacts)
    .leftJoin(organizations, eq(organizations.id, contacts.organizationId))
    .where(eq(contacts.id, contactId));
  return {
    ...value,
    relationshipSuggested: (await suggestRelationship(
      ctx.db,
      contactId,
      ctx.now(),
    )) as TContactValue["relationshipSuggested"],
    canSetRelationship: can(ctx.actor, "value.relationship", {
      accountOwnerId: account?.accountOwnerId ?? null,
    }),
  };
}

/**
 * The account manager (the organization's account owner), a manager or an admin confirms or
 * changes a customer's relationship type; a change is on the dossier timeline.
 */
export async function setRelationshipType(ctx: Ctx, contactId: string, input: TSetRelationship) {
  const [contact] = await ctx.db
    .select({ organizationId: contacts.organizationId, accountOwnerId: organizations.accountOwnerId })
    .from(contacts)
    .leftJoin(organizations, eq(organizations.id, contacts.organizationId))
    .where(eq(contacts.id, contactId));
  if (!contact) {
    requireCan(ctx.actor, "contacts.read");
    throw notFound("Contact");
  }
  const actor = requireCan(ctx.actor, "value.relationship", { accountOwnerId: contact.accountOwnerId });
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const [old] = await tx
      .select({ type: customerValues.relationshipType })
      .from(customerValues)
      .where(eq(customerValues.contactId, contactId))
      .for("update");
    const to = input.relationshipType;
    await tx
      .insert(customerValues)
      .values({
        contactId,
        organizationId: contact.organizationId,
        relationshipType: to,
        relationshipConfirmedById: actor.userId,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: customerValues.contactId,
        set: { relationshipType: to, relationshipConfirmedById: actor.userId, updatedAt: now },
      });
    if ((old?.type ?? null) !== to)
      await tx.insert(contactEvents).values({
        contactId,
        type: "value.relationship_changed",
        actorType: "agent",
        actorId: actor.userId,
        data: { from: old?.type ?? null, to },
        searchText: `relationship ${(to ?? "none").replace("_", " ")}`,
        createdAt: now,
      });
  });
  return contactValue(ctx, contactId);
}

/** The same, without the permission check: automations and SLA conditions read it once per unit of work. */
export async function loadContactValue(
  db: DbOrTx,
  contactId: string,
  now: Date,
): Promise<Omit<TContactValue, "canSetRelationship">> {
  const [contact] = await db
    .select({ id: contacts.id, name: contacts.name, organizationId: contacts.organizationId })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  if (!contact) throw notFound("Contact");
  const s = await loadSettings(db);
  const [row] = rowsOf<CustomerRow>(
    await db.execute(sql`select ${CUSTOMER_COLUMNS} from customer_values v join contacts c on c.id = v.contact_id
      where v.contact_id = ${contactId}`),
  );
  const [tier] = row?.tier_id
    ? await db.select().from(loyaltyTiers).where(eq(loyaltyTiers.id, row.tier_id))
    : [];
  const [email] = row
    ? []
    : await db
        .select({ email: contactEmails.email })
        .from(contactEmails)
        .where(and(eq(contactEmails.contactId, contactId)))
        .limit(1);
  const base = row
    ? toCustomer(row, now)
    : {
        contactId,
        name: contact.name,
        email: email?.email ?? null,
        organizationId: contact.organizationId,
        segment: "no_purchase" as const,
        r: null,
        f: null,
        m: null,
        purchases: 0,
        frequency: 0,
        monetaryMinor: 0,
        lifetimeMinor: 0,
        lastPurchaseAt: null,
        daysSinceLastPurchase: null,
        intervalDays: s.orgIntervalDays,
        nextReminderAt: null,
      };
  return {
    ...base,
    baseCurrency: s.baseCurrency,
    ownInterval: row?.own_interval ?? false,
    firstPurchaseAt: iso(row?.first_purchase_at ?? null),
    tier: tier ? toTier(tier) : null,
    tierSince: iso(row?.tier_since ?? null),
    points: row?.points ?? 0,
    relationshipType: (row?.relationship_type ?? null) as TContactValue["relationshipType"],
    relationshipSuggested: (row?.relationship_suggested ?? null) as TContactValue["relationshipSuggested"],
  };
}

/** The report: reminders filed in the last 12 months, and how many of those customers bought again in time. */
export async function reminderReport(db: DbOrTx, now: Date) {
  const [r] = rowsOf<{ sent: number; converted: number }>(
    await db.execute(sql`select count(*)::int as sent, count(converted_at)::int as converted from value_reminders
      where created_at > ${now.toISOString()}::timestamptz - interval '12 months'`),
  );
  return { sent: Number(r?.sent ?? 0), converted: Number(r?.converted ?? 0) };
}
