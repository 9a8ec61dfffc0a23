import { Readable } from "node:stream";
import type { FieldEntity } from "@rapport/shared";
import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { requireAgent } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import type { TContactQuery, TOrganizationQuery } from "../contacts/contacts.schema.ts";
import {
  contactCursor,
  contactCursorCondition,
  contactFilters,
  hydrateContacts,
} from "../contacts/contacts.service.ts";
import { contacts, organizations } from "../contacts/contacts.table.ts";
import {
  hydrateOrganizations,
  organizationCursor,
  organizationCursorCondition,
  organizationFilters,
} from "../contacts/organizations.service.ts";
import { definitionsFor, type FieldDef } from "../fields/fields.service.ts";
import { teams } from "../teams/teams.table.ts";
import type { TTicketQuery } from "../tickets/tickets.schema.ts";
import { asStaff, ticketFilters } from "../tickets/tickets.service.ts";
import { tickets } from "../tickets/tickets.table.ts";
import { users } from "../users/users.table.ts";
import { csvLine } from "./csv.ts";

const PAGE = 500;

async function activeDefs(db: DbOrTx, entity: FieldEntity) {
  return (await definitionsFor(db, entity)).filter((d) => !d.archivedAt);
}
const cfHeaders = (defs: FieldDef[]) => defs.map((d) => `cf.${d.key}`);
const cfCells = (defs: FieldDef[], values: Record<string, unknown>) => defs.map((d) => values[d.key] ?? "");

/**
 * Streams rows page by page (keyset pagination, never the whole list in memory): a UTF-8
 * BOM (so spreadsheet programs read the encoding), the header, then each page.
 */
function stream(pages: AsyncGenerator<string>): Readable {
  async function* all() {
    yield "\uFEFF";
    yield* pages;
  }
  return Readable.from(all());
}

/** Contacts of a filtered list as CSV; the columns re-import as they are. */
export async function exportContacts(ctx: Ctx, q: Partial<TContactQuery>): Promise<Readable> {
  requireAgent(ctx.actor);
  const defs = await activeDefs(ctx.db, "contact");
  const db = ctx.db;
  async function* pages() {
    yield csvLine([
      "id",
      "name",
      "email",
      "emails",
      "phone",
      "phones",
      "organization",
      "language",
      "timeZone",
      "tags",
      "notes",
      "createdAt",
      ...cfHeaders(defs),
    ]);
    let cursor: string | undefined;
    for (;;) {
      const conds: SQL[] = contactFilters(q);
      if (cursor) conds.push(contactCursorCondition(cursor));
      const rows = await db
        .select()
        .from(contacts)
        .where(and(...conds))
        .orderBy(desc(contacts.createdAt), desc(contacts.id))
        .limit(PAGE);
      if (rows.length === 0) return;
      const hydrated = await hydrateContacts(db, rows);
      let out = "";
      for (const c of hydrated)
        out += csvLine([
          c.id,
          c.name,
          c.emails[0]?.email ?? "",
          c.emails.slice(1).map((e) => e.email),
          c.phones[0]?.phone ?? "",
          c.phones.slice(1).map((p) => p.phone),
          c.organization?.name ?? "",
          c.language ?? "",
          c.timeZone ?? "",
          c.tags,
          c.notes,
          c.createdAt,
          ...cfCells(defs, c.customFields),
        ]);
      yield out;
      const last = rows.at(-1);
      if (rows.length < PAGE || !last) return;
      cursor = contactCursor(last);
    }
  }
  return stream(pages());
}

export async function exportOrganizations(ctx: Ctx, q: Partial<TOrganizationQuery>): Promise<Readable> {
  requireAgent(ctx.actor);
  const defs = await activeDefs(ctx.db, "organization");
  const db = ctx.db;
  async function* pages() {
    yield csvLine([
      "id",
      "name",
      "domains",
      "address",
      "accountOwner",
      "tags",
      "notes",
      "contacts",
      "createdAt",
      ...cfHeaders(defs),
    ]);
    const owners = new Map(
      (await db.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.id, u.email]),
    );
    let cursor: string | undefined;
    for (;;) {
      const conds: SQL[] = organizationFilters(q);
      if (cursor) conds.push(organizationCursorCondition(cursor));
      const rows = await db
        .select()
        .from(organizations)
        .where(and(...conds))
        .orderBy(asc(sql`lower(${organizations.name})`), asc(organizations.id))
        .limit(PAGE);
      if (rows.length === 0) return;
      let out = "";
      for (const o of await hydrateOrganizations(db, rows))
        out += csvLine([
          o.id,
          o.name,
          o.domains,
          o.address,
          o.accountOwnerId ? (owners.get(o.accountOwnerId) ?? "") : "",
          o.tags,
          o.notes,
          o.contactCount,
          o.createdAt,
          ...cfCells(defs, o.customFields),
        ]);
      yield out;
      const last = rows.at(-1);
      if (rows.length < PAGE || !last) return;
      cursor = organizationCursor(last);
    }
  }
  return stream(pages());
}

/** Tickets of a filtered list, scoped like the list itself: an agent exports only tickets they may see. */
export async function exportTickets(ctx: Ctx, q: Partial<TTicketQuery>): Promise<Readable> {
  const actor = asStaff(ctx.actor);
  const defs = await activeDefs(ctx.db, "ticket");
  const db = ctx.db;
  const assignee = alias(users, "assignee");
  // Validate the filters (assignee=me needs an agent...) before the response starts.
  const baseConds = ticketFilters(actor, q);
  async function* pages() {
    yield csvLine([
      "number",
      "subject",
      "status",
      "priority",
      "channel",
      "requester",
      "requesterEmail",
      "assignee",
      "team",
      "tags",
      "createdAt",
      "updatedAt",
      "solvedAt",
      ...cfHeaders(defs),
    ]);
    let after: { updatedAt: Date; id: string } | null = null;
    for (;;) {
      const conds = [...baseConds];
      if (after)
        conds.push(
          sql`(${tickets.updatedAt}, ${tickets.id}) < (${after.updatedAt.toISOString()}::timestamptz, ${after.id}::uuid)`,
        );
      const rows = await db
        .select({
          t: tickets,
          requester: contacts.name,
          assignee: assignee.name,
          team: teams.name,
        })
        .from(tickets)
        .innerJoin(contacts, eq(contacts.id, tickets.requesterId))
        .leftJoin(assignee, eq(assignee.id, tickets.assigneeId))
        .leftJoin(teams, eq(teams.id, tickets.teamId))
        .where(and(...conds))
        .orderBy(desc(tickets.updatedAt), desc(tickets.id))
        .limit(PAGE);
      if (rows.length === 0) return;
      const emails =
        await db.execute(sql`select distinct on (contact_id) contact_id as c, email as e from contact_emails
        where contact_id in ${[...new Set(rows.map((r) => r.t.requesterId))]} order by contact_id, is_primary desc, created_at`);
      const emailOf = new Map(
        (emails as unknown as { rows: Array<{ c: string; e: string }> }).rows.map((r) => [r.c, r.e]),
      );
      let out = "";
      for (const r of rows)
        out += csvLine([
          r.t.number,
          r.t.subject,
          r.t.status,
          r.t.priority,
          r.t.channel,
          r.requester,
          emailOf.get(r.t.requesterId) ?? "",
          r.assignee ?? "",
          r.team ?? "",
          r.t.tags,
          r.t.createdAt.toISOString(),
          r.t.updatedAt.toISOString(),
          r.t.solvedAt?.toISOString() ?? "",
          ...cfCells(defs, r.t.customFields),
        ]);
      yield out;
      const last = rows.at(-1);
      if (rows.length < PAGE || !last) return;
      after = { updatedAt: last.t.updatedAt, id: last.t.id };
    }
  }
  return stream(pages());
}
