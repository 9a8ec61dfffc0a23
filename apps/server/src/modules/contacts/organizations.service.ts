import { foldText } from "@rapport/shared";
import { and, asc, eq, gt, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { containsPattern } from "../../lib/search.ts";
import { customFieldFilters, validateCustomFields } from "../fields/fields.service.ts";
import { users } from "../users/users.table.ts";
import type {
  TCreateOrganization,
  TOrganization,
  TOrganizationQuery,
  TUpdateOrganization,
} from "./contacts.schema.ts";
import { contactEmails, contacts, organizations } from "./contacts.table.ts";

type OrgRow = typeof organizations.$inferSelect;

/** Organizations with their account owner's name and contact count: two queries for a page. */
export async function hydrateOrganizations(db: DbOrTx, rows: OrgRow[]): Promise<TOrganization[]> {
  if (rows.length === 0) return [];
  const ownerIds = [...new Set(rows.map((r) => r.accountOwnerId).filter((x): x is string => !!x))];
  const [owners, counts] = await Promise.all([
    ownerIds.length
      ? db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ownerIds))
      : Promise.resolve([]),
    db
      .select({ id: contacts.organizationId, n: sql<number>`count(*)::int` })
      .from(contacts)
      .where(
        inArray(
          contacts.organizationId,
          rows.map((r) => r.id),
        ),
      )
      .groupBy(contacts.organizationId),
  ]);
  const ownerById = new Map(owners.map((o) => [o.id, o]));
  const countById = new Map(counts.map((c) => [c.id, Number(c.n)]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    domains: r.domains,
    notes: r.notes,
    tags: r.tags,
    address: r.address,
    accountOwnerId: r.accountOwnerId,
    accountOwner: r.accountOwnerId ? (ownerById.get(r.accountOwnerId) ?? null) : null,
    contactCount: countById.get(r.id) ?? 0,
    customFields: r.customFields,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

async function hydrateOne(db: DbOrTx, row: OrgRow) {
  const [o] = await hydrateOrganizations(db, [row]);
  if (!o) throw new Error("hydrate returned nothing");
  return o;
}

async function assertValid(
  db: DbOrTx,
  input: { name?: string; accountOwnerId?: string | null; domains?: string[] },
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
  if (input.domains?.length) {
    // A domain names one company, or new contacts could not be linked unambiguously.
    const [taken] = await db
      .select({ id: organizations.id, name: organizations.name, domains: organizations.domains })
      .from(organizations)
      .where(
        and(
          sql`${organizations.domains} && array[${sql.join(
            input.domains.map((d) => sql`${d}`),
            sql`, `,
          )}]::text[]`,
          exceptId ? sql`${organizations.id} <> ${exceptId}` : undefined,
        ),
      )
      .limit(1);
    if (taken)
      throw conflict(`A domain already belongs to ${taken.name}`, {
        field: "domains",
        domain: taken.domains.find((d) => input.domains?.includes(d)),
        organizationId: taken.id,
      });
  }
  if (input.accountOwnerId) {
    const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.accountOwnerId));
    if (!owner) throw notFound("User");
  }
}

/** The filters of an organization list as SQL conditions (shared with the CSV export). */
export function organizationFilters(q: Partial<TOrganizationQuery>): SQL[] {
  const conds: SQL[] = [];
  const folded = q.q ? foldText(q.q).trim() : "";
  if (folded) conds.push(sql`${organizations.searchName} like ${containsPattern(folded)}`);
  if (q.tag) conds.push(sql`${organizations.tags} @> array[${q.tag.toLowerCase()}]::text[]`);
  if (q.accountOwnerId) conds.push(eq(organizations.accountOwnerId, q.accountOwnerId));
  if (q.domain) conds.push(sql`${organizations.domains} @> array[${q.domain.toLowerCase()}]::text[]`);
  if (q.cf) conds.push(...customFieldFilters("organization", q.cf));
  return conds;
}

/** Keyset condition for "after this organization" in name order (lower(name) is unique). */
export function organizationCursorCondition(cursor: string): SQL {
  const [name, id] = decodeCursor(cursor, 2) as [string, string];
  return or(
    gt(sql`lower(${organizations.name})`, name),
    and(eq(sql`lower(${organizations.name})`, name), gt(organizations.id, id)),
  ) as SQL;
}
export const organizationCursor = (r: OrgRow) => encodeCursor([r.name.toLowerCase(), r.id]);

/** Companies in name order, filtered, with cursor pagination. */
export async function listOrganizations(
  ctx: Ctx,
  q: TOrganizationQuery,
): Promise<{ items: TOrganization[]; nextCursor: string | null }> {
  requireCan(ctx.actor, "contacts.read");
  const conds = organizationFilters(q);
  if (q.cursor) conds.push(organizationCursorCondition(q.cursor));
  const rows = await ctx.db
    .select()
    .from(organizations)
    .where(and(...conds))
    .orderBy(asc(sql`lower(${organizations.name})`), asc(organizations.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: await hydrateOrganizations(ctx.db, page),
    nextCursor: rows.length > q.limit && last ? organizationCursor(last) : null,
  };
}

export async function getOrganization(ctx: Ctx, id: string): Promise<TOrganization> {
  requireCan(ctx.actor, "contacts.read");
  const [row] = await ctx.db.select().from(organizations).where(eq(organizations.id, id));
  if (!row) throw notFound("Organization");
  return hydrateOne(ctx.db, row);
}

const orgSearchName = (name: string, domains: string[]) => foldText([name, ...domains].join(" "));

/**
 * Links contacts that have no organization yet and an email at one of these domains
 * (a company added after its people wrote in).
 */
async function linkContactsByDomain(db: DbOrTx, orgId: string, domains: string[]) {
  if (domains.length === 0) return;
  await db
    .update(contacts)
    .set({ organizationId: orgId })
    .where(
      and(
        isNull(contacts.organizationId),
        inArray(
          contacts.id,
          db
            .select({ id: contactEmails.contactId })
            .from(contactEmails)
            .where(
              sql`lower(split_part(${contactEmails.email}, '@', 2)) in (${sql.join(
                domains.map((d) => sql`${d}`),
                sql`, `,
              )})`,
            ),
        ),
      ),
    );
}

/** Inserts an organization inside the caller's transaction; values already validated. */
export async function insertOrganization(db: DbOrTx, input: TCreateOrganization): Promise<OrgRow> {
  const [row] = await db
    .insert(organizations)
    .values({
      name: input.name,
      domains: input.domains,
      notes: input.notes,
      tags: input.tags,
      address: input.address ?? "",
      accountOwnerId: input.accountOwnerId ?? null,
      customFields: input.customFields ?? {},
      searchName: orgSearchName(input.name, input.domains),
    })
    .returning();
  if (!row) throw new Error("insert returned nothing");
  return row;
}

export async function createOrganization(ctx: Ctx, input: TCreateOrganization): Promise<TOrganization> {
  requireCan(ctx.actor, "contacts.manage");
  return ctx.db.transaction(async (tx) => {
    await assertValid(tx, input);
    const customFields = await validateCustomFields(tx, ctx.actor, "organization", input.customFields, {
      mode: "create",
    });
    const row = await insertOrganization(tx, { ...input, customFields } as TCreateOrganization);
    await linkContactsByDomain(tx, row.id, row.domains);
    return hydrateOne(tx, row);
  });
}

export async function updateOrganization(
  ctx: Ctx,
  id: string,
  patch: TUpdateOrganization,
): Promise<TOrganization> {
  requireCan(ctx.actor, "contacts.manage");
  return ctx.db.transaction(async (tx) => {
    const [prev] = await tx.select().from(organizations).where(eq(organizations.id, id)).for("update");
    if (!prev) throw notFound("Organization");
    await assertValid(tx, patch, id);
    const { customFields: cfInput, ...fields } = patch;
    const customFields = await validateCustomFields(tx, ctx.actor, "organization", cfInput, {
      mode: "update",
      existing: prev.customFields,
    });
    const name = fields.name ?? prev.name;
    const domains = fields.domains ?? prev.domains;
    const [row] = await tx
      .update(organizations)
      .set({
        ...fields,
        customFields,
        searchName: orgSearchName(name, domains),
        updatedAt: ctx.now(),
      })
      .where(eq(organizations.id, id))
      .returning();
    if (!row) throw notFound("Organization");
    const added = domains.filter((d) => !prev.domains.includes(d));
    await linkContactsByDomain(tx, id, added);
    return hydrateOne(tx, row);
  });
}
