import { foldText } from "@rapport/shared";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorRef } from "../../auth/actor.ts";
import { requireCan } from "../../auth/policies.ts";
import type { Ctx } from "../../context.ts";
import type { DbOrTx } from "../../db/client.ts";
import { errorResponses, ZIdParams } from "../../http/schemas.ts";
import { badRequest, conflict, notFound } from "../../lib/errors.ts";
import { contactEvents, contactNotes } from "../dossier/dossier.table.ts";
import { plannedContacts, plannerCadences } from "../planner/planner.table.ts";
import { messages, tickets } from "../tickets/tickets.table.ts";
import { ZContact, ZContactDuplicates } from "./contacts.schema.ts";
import { getContact, hydrateContacts, refreshSearch } from "./contacts.service.ts";
import { contactEmails, contactPhones, contacts } from "./contacts.table.ts";

/** Names at least this similar (pg_trgm) are offered as possible duplicates. */
export const NAME_SIMILARITY = 0.45;

/**
 * Possible duplicates of a contact: the same phone number, the same email address
 * ignoring dots/plus-tags in the local part, or a similar name (trigram similarity on the
 * folded name). Strongest reasons first.
 */
export async function findDuplicates(ctx: Ctx, id: string) {
  requireCan(ctx.actor, "contacts.read");
  const [me] = await ctx.db.select().from(contacts).where(eq(contacts.id, id));
  if (!me) throw notFound("Contact");
  const folded = foldText(me.name).trim();
  const result = await ctx.db.execute(sql`
    with mine as (select ${id}::uuid as id),
    by_phone as (
      select p2.contact_id as id, 'phone' as reason, 1.0::float8 as score
      from contact_phones p1 join contact_phones p2 on p2.phone = p1.phone and p2.contact_id <> p1.contact_id
      where p1.contact_id = ${id}),
    by_email as (
      select e2.contact_id as id, 'email' as reason, 1.0::float8 as score
      from contact_emails e1 join contact_emails e2
        on regexp_replace(split_part(lower(e2.email), '@', 1), '[.]|[+].*$', '', 'g') || '@' || split_part(lower(e2.email), '@', 2)
         = regexp_replace(split_part(lower(e1.email), '@', 1), '[.]|[+].*$', '', 'g') || '@' || split_part(lower(e1.email), '@', 2)
        and e2.contact_id <> e1.contact_id
      where e1.contact_id = ${id}),
    by_name as (
      select c.id, 'name' as reason, similarity(lower(unaccent(c.name)), ${folded})::float8 as score
      from contacts c
      -- word similarity against the indexed folded name/emails/phones, then similarity of the names themselves
      where ${folded} <> '' and c.id <> ${id} and ${folded} <% c.search_name
        and similarity(lower(unaccent(c.name)), ${folded}) >= ${NAME_SIMILARITY}
      limit 50)
    select id, array_agg(distinct reason) as reasons, max(score) as score
    from (select * from by_phone union all select * from by_email union all select * from by_name) x
    group by id order by max(score) desc, count(*) desc limit 20`);
  const rows = (
    result as unknown as { rows: Array<{ id: string; reasons: string[] | string; score: number }> }
  ).rows;
  if (rows.length === 0) return { items: [] };
  const found = await ctx.db
    .select()
    .from(contacts)
    .where(
      inArray(
        contacts.id,
        rows.map((r) => r.id),
      ),
    );
  const hydrated = new Map((await hydrateContacts(ctx.db, found)).map((c) => [c.id, c]));
  return {
    items: rows.flatMap((r) => {
      const contact = hydrated.get(r.id);
      const reasons = Array.isArray(r.reasons)
        ? r.reasons
        : String(r.reasons).replace(/[{}]/g, "").split(",");
      return contact ? [{ contact, reasons, score: Number(r.score) }] : [];
    }),
  };
}

/**
 * Other modules' rows that point at contacts (calls, call-backs, chats, channel identities):
 * each module adds a hook that moves its rows from `sourceIds` to the survivor, inside the
 * merge's transaction, before the check that nothing refers to the duplicates any more.
 */
export type MergeHook = (tx: DbOrTx, ctx: Ctx, survivorId: string, sourceIds: string[]) => Promise<void>;
export const mergeHooks: MergeHook[] = [];
export function addMergeHook(hook: MergeHook) {
  if (!mergeHooks.includes(hook)) mergeHooks.push(hook);
}

/** Rows still pointing at a contact through any foreign key: a merge must leave none behind. */
async function referencesLeft(db: DbOrTx, ids: string[]): Promise<Array<{ table: string; n: number }>> {
  const fks = await db.execute(sql`
    select c.conrelid::regclass::text as tbl, a.attname as col
    from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.confrelid = 'contacts'::regclass and array_length(c.conkey, 1) = 1`);
  const left: Array<{ table: string; n: number }> = [];
  for (const fk of (fks as unknown as { rows: Array<{ tbl: string; col: string }> }).rows) {
    const r = await db.execute(
      sql`select count(*)::int as n from ${sql.identifier(fk.tbl)} where ${sql.identifier(fk.col)} in ${ids}`,
    );
    const n = Number((r as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0);
    if (n > 0) left.push({ table: fk.tbl, n });
  }
  return left;
}

/**
 * Merges duplicates into a surviving contact, in one transaction: tickets, message
 * authorship, emails, phones, planned contacts, cadence, notes, events and followers move
 * to the survivor; empty profile fields are filled from the duplicates, tags and notes are
 * combined; the merge is recorded on the survivor's timeline with what each duplicate was.
 * Before the duplicates are deleted, every foreign key to contacts is checked: if any row
 * still points at a duplicate (a table this code does not know), the merge is refused and
 * nothing changes, so nothing is ever lost to a cascade.
 */
export async function mergeContacts(ctx: Ctx, survivorId: string, sourceIds: string[]) {
  requireCan(ctx.actor, "contacts.manage");
  const ids = [...new Set(sourceIds)];
  if (ids.includes(survivorId))
    throw badRequest("A contact cannot be merged into itself", { field: "sourceIds" });
  await ctx.db.transaction(async (tx) => {
    const all = await tx
      .select()
      .from(contacts)
      .where(inArray(contacts.id, [survivorId, ...ids]))
      .for("update");
    const survivor = all.find((c) => c.id === survivorId);
    if (!survivor) throw notFound("Contact");
    const sources = ids.map((id) => all.find((c) => c.id === id));
    if (sources.some((s) => !s)) throw notFound("Contact");
    const src = sources as NonNullable<(typeof sources)[number]>[];
    const sourceTC = await hydrateContacts(tx, src);
    await tx.update(tickets).set({ requesterId: survivorId }).where(inArray(tickets.requesterId, ids));
    await tx
      .update(messages)
      .set({ authorContactId: survivorId })
      .where(inArray(messages.authorContactId, ids));
    await tx
      .update(contactEmails)
      .set({ contactId: survivorId, isPrimary: false })
      .where(inArray(contactEmails.contactId, ids));
    const survivorPhones = (
      await tx
        .select({ phone: contactPhones.phone })
        .from(contactPhones)
        .where(eq(contactPhones.contactId, survivorId))
    ).map((p) => p.phone);
    if (survivorPhones.length > 0)
      await tx
        .delete(contactPhones)
        .where(and(inArray(contactPhones.contactId, ids), inArray(contactPhones.phone, survivorPhones)));
    await tx
      .update(contactPhones)
      .set({ contactId: survivorId, isPrimary: false })
      .where(inArray(contactPhones.contactId, ids));
    await tx
      .update(plannedContacts)
      .set({ contactId: survivorId })
      .where(inArray(plannedContacts.contactId, ids));
    const [hasCadence] = await tx
      .select({ id: plannerCadences.contactId })
      .from(plannerCadences)
      .where(eq(plannerCadences.contactId, survivorId));
    if (hasCadence) await tx.delete(plannerCadences).where(inArray(plannerCadences.contactId, ids));
    else {
      const [first] = await tx
        .select()
        .from(plannerCadences)
        .where(inArray(plannerCadences.contactId, ids))
        .limit(1);
      await tx.delete(plannerCadences).where(inArray(plannerCadences.contactId, ids));
      if (first) await tx.insert(plannerCadences).values({ ...first, contactId: survivorId });
    }
    await tx.update(contactNotes).set({ contactId: survivorId }).where(inArray(contactNotes.contactId, ids));
    await tx
      .update(contactEvents)
      .set({ contactId: survivorId })
      .where(inArray(contactEvents.contactId, ids));
    // Followers: keep one row per ticket (the survivor's when both follow).
    await tx.execute(sql`delete from ticket_followers f where f.contact_id in ${ids}
      and exists (select 1 from ticket_followers g where g.ticket_id = f.ticket_id and g.contact_id = ${survivorId})`);
    await tx.execute(sql`delete from ticket_followers f where f.contact_id in ${ids}
      and exists (select 1 from ticket_followers g where g.ticket_id = f.ticket_id and g.contact_id in ${ids}
        and g.contact_id < f.contact_id)`);
    await tx.execute(sql`update ticket_followers set contact_id = ${survivorId} where contact_id in ${ids}`);

    const tags = [...new Set([...survivor.tags, ...src.flatMap((s) => s.tags)])];
    const notes = [survivor.notes, ...src.map((s) => s.notes)].filter((n) => n.trim() !== "").join("\n\n");
    await tx
      .update(contacts)
      .set({
        name: survivor.name || src.find((s) => s.name)?.name || "",
        language: survivor.language ?? src.find((s) => s.language)?.language ?? null,
        timeZone: survivor.timeZone ?? src.find((s) => s.timeZone)?.timeZone ?? null,
        organizationId: survivor.organizationId ?? src.find((s) => s.organizationId)?.organizationId ?? null,
        tags,
        // Custom fields: the survivor's values win; the duplicates fill the ones it lacks.
        customFields: Object.assign(
          {},
          ...[...src].reverse().map((x) => x.customFields),
          survivor.customFields,
        ),
        notes: notes.slice(0, 20_000),
        updatedAt: ctx.now(),
      })
      .where(eq(contacts.id, survivorId));
    for (const hook of mergeHooks) await hook(tx, ctx, survivorId, ids);
    const left = await referencesLeft(tx, ids);
    if (left.length > 0) throw conflict("Rows still refer to the duplicates; nothing was merged", { left });
    await tx.delete(contacts).where(inArray(contacts.id, ids));
    await tx.insert(contactEvents).values({
      contactId: survivorId,
      type: "contact.merged",
      ...actorRef(ctx.actor),
      data: {
        merged: sourceTC.map((s) => ({
          id: s.id,
          name: s.name,
          emails: s.emails,
          phones: s.phones,
          tags: s.tags,
        })),
      },
      searchText: `merged ${sourceTC.map((s) => [s.name, ...s.emails.map((e) => e.email)].join(" ")).join(" ")}`,
      createdAt: ctx.now(),
    });
    await refreshSearch(tx, survivorId);
  });
  return getContact(ctx, survivorId);
}

export const contactsMergeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/contacts/:id/duplicates",
    {
      schema: {
        tags: ["contacts"],
        summary: "Possible duplicates: same phone, same email (ignoring dots and +tags), similar name",
        params: ZIdParams,
        response: { 200: ZContactDuplicates, ...errorResponses(401, 404) },
      },
    },
    async (req) => findDuplicates(req.ctx, req.params.id),
  );
  app.post(
    "/contacts/:id/merge",
    {
      schema: {
        tags: ["contacts"],
        summary: "Merge duplicates into this contact; everything moves here and the merge is recorded",
        params: ZIdParams,
        body: z.strictObject({ sourceIds: z.array(z.uuid()).min(1).max(20) }),
        response: { 200: ZContact, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req) => mergeContacts(req.ctx, req.params.id, req.body.sourceIds),
  );
};
