import { randomUUID } from "node:crypto";
import { foldText } from "@rapport/shared";
import { and, asc, desc, eq, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { prepared } from "../../db/prepared.ts";
import { decodeCursor, encodeCursor } from "../../lib/cursor.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { normalizePhone } from "../../lib/phone.ts";
import { containsPattern, tsvectorLiteral } from "../../lib/search.ts";
import { customFieldFilters, validateCustomFields } from "../fields/fields.service.ts";
import type {
  TContact,
  TContactQuery,
  TCreateContact,
  TRequesterRef,
  TUpdateContact,
} from "./contacts.schema.ts";
import { contactEmails, contactPhones, contacts, organizations } from "./contacts.table.ts";

export type ContactRow = typeof contacts.$inferSelect;

/** Loads contacts with their emails, phones and organization: three queries for any number of contacts. */
export async function hydrateContacts(db: DbOrTx, rows: ContactRow[]): Promise<TContact[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const orgIds = [...new Set(rows.map((r) => r.organizationId).filter((x): x is string => !!x))];
  const [emails, phones, orgs] = await Promise.all([
    db
      .select()
      .from(contactEmails)
      .where(inArray(contactEmails.contactId, ids))
      .orderBy(desc(contactEmails.isPrimary), asc(contactEmails.createdAt)),
    db
      .select()
      .from(contactPhones)
      .where(inArray(contactPhones.contactId, ids))
      .orderBy(desc(contactPhones.isPrimary), asc(contactPhones.createdAt)),
    orgIds.length
      ? db
          .select({ id: organizations.id, name: organizations.name })
          .from(organizations)
          .where(inArray(organizations.id, orgIds))
      : Promise.resolve([]),
  ]);
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    emails: emails
      .filter((e) => e.contactId === r.id)
      .map((e) => ({ email: e.email, primary: e.isPrimary, verified: e.verified })),
    phones: phones.filter((p) => p.contactId === r.id).map((p) => ({ phone: p.phone, primary: p.isPrimary })),
    language: r.language,
    timeZone: r.timeZone,
    organization: r.organizationId ? (orgById.get(r.organizationId) ?? null) : null,
    notes: r.notes,
    tags: r.tags,
    customFields: r.customFields,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

async function hydrateOne(db: DbOrTx, row: ContactRow): Promise<TContact> {
  const [c] = await hydrateContacts(db, [row]);
  if (!c) throw new Error("hydrate returned nothing");
  return c;
}

/** A contact's search fields, from its name, emails, phones and notes. */
function searchFields(name: string, emails: string[], phones: string[], notes: string) {
  const emailText = emails.join(" ");
  const phoneText = phones.join(" ");
  return {
    searchName: foldText([name, emailText, phoneText].filter(Boolean).join(" ")).slice(0, 2000),
    searchVector: tsvectorLiteral([
      { text: name, weight: "A" },
      { text: emailText, weight: "A" },
      { text: phoneText, weight: "B" },
      { text: notes, weight: "C" },
    ]),
  };
}

/** Recomputes a contact's search fields from its name, emails, phones and notes. */
export async function refreshSearch(db: DbOrTx, contactId: string): Promise<ContactRow> {
  const [row] = await db.select().from(contacts).where(eq(contacts.id, contactId));
  if (!row) throw notFound("Contact");
  const emails = await db
    .select({ email: contactEmails.email })
    .from(contactEmails)
    .where(eq(contactEmails.contactId, contactId));
  const phones = await db
    .select({ phone: contactPhones.phone })
    .from(contactPhones)
    .where(eq(contactPhones.contactId, contactId));
  const [updated] = await db
    .update(contacts)
    .set(
      searchFields(
        row.name,
        emails.map((e) => e.email),
        phones.map((p) => p.phone),
        row.notes,
      ),
    )
    .where(eq(contacts.id, contactId))
    .returning();
  return updated ?? row;
}

async function assertEmailsFree(db: DbOrTx, emails: string[], exceptContactId?: string) {
  if (emails.length === 0) return;
  const lowered = emails.map((e) => e.toLowerCase());
  const taken = await db
    .select({ email: contactEmails.email, contactId: contactEmails.contactId })
    .from(contactEmails)
    .where(sql`lower(${contactEmails.email}) in ${lowered}`);
  const clash = taken.find((t) => t.contactId !== exceptContactId);
  if (clash)
    throw conflict("This email belongs to another contact", {
      field: "emails",
      email: clash.email,
      contactId: clash.contactId,
    });
}

/** Emails once each (case-insensitively), trimmed, in the order given. */
const uniqueEmails = (emails: string[]) => [
  ...new Map(emails.map((e) => [e.toLowerCase(), e.trim()])).values(),
];
/** Phones in E.164, once each, in the order given. */
const uniquePhones = (phones: string[]) => [...new Set(phones.map((p) => normalizePhone(p)))].filter(Boolean);

async function writeEmails(db: DbOrTx, contactId: string, emails: string[]) {
  const unique = uniqueEmails(emails);
  await assertEmailsFree(db, unique, contactId);
  await db.delete(contactEmails).where(eq(contactEmails.contactId, contactId));
  if (unique.length)
    await db
      .insert(contactEmails)
      .values(unique.map((email, i) => ({ contactId, email, isPrimary: i === 0 })));
}

async function writePhones(db: DbOrTx, contactId: string, phones: string[]) {
  const unique = uniquePhones(phones);
  await db.delete(contactPhones).where(eq(contactPhones.contactId, contactId));
  if (unique.length)
    await db
      .insert(contactPhones)
      .values(unique.map((phone, i) => ({ contactId, phone, isPrimary: i === 0 })));
}

/**
 * resolveRequester for many senders known by email (a batch of inbound emails): existing
 * contacts found in one read, the missing ones created with one insert per table. Returns
 * the contact of each lower-cased address.
 */
export async function resolveRequestersByEmail(
  db: DbOrTx,
  refs: Array<{ email: string; name?: string }>,
): Promise<Map<string, ContactRow>> {
  const out = new Map<string, ContactRow>();
  const wanted = new Map<string, { email: string; name?: string }>();
  for (const r of refs) if (!wanted.has(r.email.toLowerCase())) wanted.set(r.email.toLowerCase(), r);
  if (wanted.size === 0) return out;
  const found = await db
    .select({ email: contactEmails.email, contact: contacts })
    .from(contactEmails)
    .innerJoin(contacts, eq(contacts.id, contactEmails.contactId))
    .where(inArray(sql`lower(${contactEmails.email})`, [...wanted.keys()]));
  for (const f of found) out.set(f.email.toLowerCase(), f.contact);
  const missing = [...wanted].filter(([key]) => !out.has(key)).map(([, r]) => r);
  if (missing.length === 0) return out;
  const rows = await insertContactRows(
    db,
    missing.map((r) => {
      const name = r.name ?? r.email.split("@")[0] ?? "";
      return { name, emails: [r.email], phones: [], notes: "", tags: [] };
    }),
  );
  rows.forEach((row, i) => {
    const r = missing[i];
    if (r) out.set(r.email.toLowerCase(), row);
  });
  return out;
}

type NewContact = Pick<
  TCreateContact,
  "name" | "language" | "timeZone" | "organizationId" | "notes" | "tags"
> & {
  emails: string[];
  phones: string[];
  customFields?: Record<string, unknown>;
};

/**
 * New contacts with their emails and phones in one statement (ids made here; the emails and
 * phones inserted by data-modifying CTEs, their foreign keys checked at the statement's end).
 * A contact without an organization gets the first one (oldest) that lists one of its email
 * domains. Emails and phones must be unique and normalized already; returns the rows in order.
 */
async function insertContactRows(db: DbOrTx, list: NewContact[]): Promise<ContactRow[]> {
  if (list.length === 0) return [];
  const ids = list.map(() => randomUUID());
  const emails = list.flatMap((c, i) =>
    c.emails.map((email, n) => ({ contactId: ids[i] as string, email, isPrimary: n === 0 })),
  );
  const phones = list.flatMap((c, i) =>
    c.phones.map((phone, n) => ({ contactId: ids[i] as string, phone, isPrimary: n === 0 })),
  );
  const ctes = [
    ...(emails.length
      ? [db.$with("new_emails", {}).as(db.insert(contactEmails).values(emails).getSQL())]
      : []),
    ...(phones.length
      ? [db.$with("new_phones", {}).as(db.insert(contactPhones).values(phones).getSQL())]
      : []),
  ];
  const rows = await db
    .with(...ctes)
    .insert(contacts)
    .values(
      list.map((c, i) => {
        const domains = [
          ...new Set(
            c.emails.map((e) => e.split("@")[1]?.trim().toLowerCase()).filter((d): d is string => !!d),
          ),
        ];
        return {
          id: ids[i],
          name: c.name,
          language: c.language ?? null,
          timeZone: c.timeZone ?? null,
          organizationId: c.organizationId ?? (domains.length ? organizationByDomains(domains) : null),
          notes: c.notes ?? "",
          tags: c.tags ?? [],
          customFields: c.customFields ?? {},
          ...searchFields(c.name, c.emails, c.phones, c.notes ?? ""),
        };
      }),
    )
    .returning();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) throw new Error("insert returned fewer contacts");
    return row;
  });
}

/**
 * The organization of the first of these domains an organization lists (the oldest such
 * organization), as a subquery of the contact's insert.
 */
const organizationByDomains = (domains: string[]): SQL =>
  sql`(select o.id from ${organizations} o, unnest(${sql`array[${sql.join(
    domains.map((d) => sql`${d}`),
    sql`, `,
  )}]::text[]`}) with ordinality as d(domain, n)
    where o.domains @> array[d.domain] order by d.n, o.created_at limit 1)`;

async function assertOrganization(db: DbOrTx, id: string | null | undefined) {
  if (!id) return;
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, id));
  if (!org) throw notFound("Organization");
}

/**
 * Inserts a contact inside the caller's transaction; no authorization (callers check).
 * `customFields` must already be validated (createContact and imports do it).
 */
export async function insertContact(
  db: DbOrTx,
  input: TCreateContact,
  opts: { emailsChecked?: boolean } = {},
): Promise<ContactRow> {
  // A new contact has no rows to replace, so its emails, phones and search fields are
  // written in one go: 3 to 5 statements (every channel's new customer comes through here).
  await assertOrganization(db, input.organizationId);
  const emails = uniqueEmails(input.emails);
  const phones = uniquePhones(input.phones);
  if (!opts.emailsChecked) await assertEmailsFree(db, emails);
  const [row] = await insertContactRows(db, [
    { ...input, emails, phones, customFields: input.customFields ?? {} },
  ]);
  if (!row) throw new Error("insert returned nothing");
  return row;
}

/** The contact with this email (any case): a named statement, every ticket from an email runs it. */
const contactByEmail = prepared("contact_by_email", (db) =>
  db
    .select({ contact: contacts })
    .from(contactEmails)
    .innerJoin(contacts, eq(contacts.id, contactEmails.contactId))
    .where(sql`lower(${contactEmails.email}) = ${sql.placeholder("email")}`),
);

export async function findContactByEmail(db: DbOrTx, email: string): Promise<ContactRow | undefined> {
  const [row] = await contactByEmail(db, { email: email.toLowerCase() });
  return row?.contact;
}

export async function findContactByPhone(db: DbOrTx, phone: string): Promise<ContactRow | undefined> {
  const [row] = await db
    .select({ contact: contacts })
    .from(contactPhones)
    .innerJoin(contacts, eq(contacts.id, contactPhones.contactId))
    .where(eq(contactPhones.phone, normalizePhone(phone)))
    .orderBy(asc(contactPhones.createdAt))
    .limit(1);
  return row?.contact;
}

/**
 * The contact a requester reference names: by id; else matched by email, then by
 * phone; else created. Used by the API, and by every channel's ingester.
 */
export async function resolveRequester(db: DbOrTx, ref: TRequesterRef): Promise<ContactRow> {
  if ("id" in ref) {
    const [row] = await db.select().from(contacts).where(eq(contacts.id, ref.id));
    if (!row) throw notFound("Contact");
    return row;
  }
  const byEmail = ref.email ? await findContactByEmail(db, ref.email) : undefined;
  if (byEmail) return byEmail;
  const byPhone = ref.phone ? await findContactByPhone(db, ref.phone) : undefined;
  if (byPhone) {
    if (ref.email) {
      await db.insert(contactEmails).values({ contactId: byPhone.id, email: ref.email, isPrimary: false });
      return refreshSearch(db, byPhone.id);
    }
    return byPhone;
  }
  const fallbackName = ref.name ?? ref.email?.split("@")[0] ?? ref.phone ?? "";
  // The email was just looked up: no second check before the insert.
  return insertContact(
    db,
    {
      name: fallbackName,
      emails: ref.email ? [ref.email] : [],
      phones: ref.phone ? [ref.phone] : [],
      notes: "",
      tags: [],
    },
    { emailsChecked: true },
  );
}

export async function createContact(ctx: Ctx, input: TCreateContact): Promise<TContact> {
  requireCan(ctx.actor, "contacts.manage");
  return ctx.db.transaction(async (tx) => {
    const customFields = await validateCustomFields(tx, ctx.actor, "contact", input.customFields, {
      mode: "create",
    });
    return hydrateOne(tx, await insertContact(tx, { ...input, customFields } as TCreateContact));
  });
}

export async function getContact(ctx: Ctx, id: string): Promise<TContact> {
  requireCan(ctx.actor, "contacts.read");
  const [row] = await ctx.db.select().from(contacts).where(eq(contacts.id, id));
  if (!row) throw notFound("Contact");
  return hydrateOne(ctx.db, row);
}

export async function updateContact(ctx: Ctx, id: string, patch: TUpdateContact): Promise<TContact> {
  requireCan(ctx.actor, "contacts.manage");
  return ctx.db.transaction(async (tx) => {
    const { emails, phones, customFields: cfInput, ...fields } = patch;
    await assertOrganization(tx, fields.organizationId);
    let customFields: Record<string, unknown> | undefined;
    if (cfInput !== undefined) {
      const [prev] = await tx.select().from(contacts).where(eq(contacts.id, id)).for("update");
      if (!prev) throw notFound("Contact");
      customFields = await validateCustomFields(tx, ctx.actor, "contact", cfInput, {
        mode: "update",
        existing: prev.customFields,
      });
    }
    const [row] = await tx
      .update(contacts)
      .set({ ...fields, ...(customFields ? { customFields } : {}), updatedAt: new Date() })
      .where(eq(contacts.id, id))
      .returning();
    if (!row) throw notFound("Contact");
    if (emails) await writeEmails(tx, id, emails);
    if (phones) await writePhones(tx, id, phones);
    return hydrateOne(tx, await refreshSearch(tx, id));
  });
}

/** The filters of a contact list as SQL conditions (shared with the CSV export). */
export function contactFilters(query: Partial<TContactQuery>): SQL[] {
  const conds: SQL[] = [];
  if (query.q) {
    const folded = foldText(query.q).trim();
    if (folded) conds.push(sql`${contacts.searchName} like ${containsPattern(folded)}`);
  }
  if (query.email) {
    conds.push(
      sql`exists (select 1 from contact_emails ce where ce.contact_id = ${contacts.id} and lower(ce.email) = ${query.email.toLowerCase()})`,
    );
  }
  if (query.phone) {
    conds.push(
      sql`exists (select 1 from contact_phones cp where cp.contact_id = ${contacts.id} and cp.phone = ${normalizePhone(query.phone)})`,
    );
  }
  if (query.organizationId) conds.push(eq(contacts.organizationId, query.organizationId));
  if (query.tag) conds.push(sql`${contacts.tags} @> array[${query.tag.toLowerCase()}]::text[]`);
  if (query.cf) conds.push(...customFieldFilters("contact", query.cf));
  return conds;
}

/** Keyset condition for "after this contact" in newest-first order. */
export function contactCursorCondition(cursor: string): SQL {
  const [at, id] = decodeCursor(cursor, 2) as [string, string];
  return or(
    lt(contacts.createdAt, new Date(at)),
    and(eq(contacts.createdAt, new Date(at)), lt(contacts.id, id)),
  ) as SQL;
}
export const contactCursor = (r: ContactRow) => encodeCursor([r.createdAt.toISOString(), r.id]);

export async function listContacts(
  ctx: Ctx,
  query: TContactQuery,
): Promise<{ items: TContact[]; nextCursor: string | null }> {
  requireCan(ctx.actor, "contacts.read");
  const conds = contactFilters(query);
  if (query.cursor) conds.push(contactCursorCondition(query.cursor));
  const rows = await ctx.db
    .select()
    .from(contacts)
    .where(and(...conds))
    .orderBy(desc(contacts.createdAt), desc(contacts.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await hydrateContacts(ctx.db, page),
    nextCursor: rows.length > query.limit && last ? contactCursor(last) : null,
  };
}
