import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.ts";
import { badRequest } from "../../lib/errors.ts";
import { normalizePhone } from "../../lib/phone.ts";
import {
  findContactByEmail,
  findContactByPhone,
  insertContact,
  refreshSearch,
} from "../contacts/contacts.service.ts";
import { contactEmails, contactPhones, contacts } from "../contacts/contacts.table.ts";

type ContactRow = typeof contacts.$inferSelect;

/** A phone number in E.164, or a 400 naming the field: matching across channels needs E.164. */
export function e164(raw: string, field = "phone"): string {
  const n = normalizePhone(raw);
  if (!/^\+[1-9]\d{6,14}$/.test(n))
    throw badRequest("The phone number is not valid; use the international format such as +84 90 123 4567", {
      field,
    });
  return n;
}

/**
 * One customer across channels: the contact with this email (case-insensitive), else
 * the one with this E.164 phone, else a new contact. Whatever the match, the email and
 * phone it was found with are added to the contact when no other contact holds them,
 * so the next email, chat, call, form or bridge message lands on the same contact.
 */
export async function matchContact(
  tx: DbOrTx,
  who: { email?: string | null; phone?: string | null; name?: string | null; language?: string | null },
): Promise<ContactRow> {
  const email = who.email?.trim() || undefined;
  const phone = who.phone ? normalizePhone(who.phone) : undefined;
  const byEmail = email ? await findContactByEmail(tx, email) : undefined;
  const found = byEmail ?? (phone ? await findContactByPhone(tx, phone) : undefined);
  if (!found) {
    return insertContact(tx, {
      name: who.name?.trim() || email?.split("@")[0] || phone || "",
      emails: email ? [email] : [],
      phones: phone ? [phone] : [],
      language: who.language ?? undefined,
      notes: "",
      tags: [],
    });
  }
  // Only what the match did not come through: the email it matched on is the contact's already,
  // and so is the phone when the match was by phone.
  let changed = await linkContactDetails(tx, found.id, {
    email: byEmail ? undefined : email,
    phone: byEmail ? phone : undefined,
  });
  if (!found.name && who.name?.trim()) {
    await tx.update(contacts).set({ name: who.name.trim() }).where(eq(contacts.id, found.id));
    changed = true;
  }
  // The search fields change only with the name, the emails or the phones.
  return changed ? refreshSearch(tx, found.id) : found;
}

/** Adds an email / phone to a contact when it is not already someone's; whether it added one. */
export async function linkContactDetails(
  tx: DbOrTx,
  contactId: string,
  d: { email?: string | undefined; phone?: string | undefined },
): Promise<boolean> {
  let added = false;
  if (d.email) {
    const rows = await tx
      .insert(contactEmails)
      .values({ contactId, email: d.email, isPrimary: false })
      .onConflictDoNothing()
      .returning({ id: contactEmails.id });
    added = rows.length > 0;
  }
  if (d.phone) {
    const [taken] = await tx
      .select({ id: contactPhones.id })
      .from(contactPhones)
      .where(and(eq(contactPhones.phone, d.phone)))
      .limit(1);
    if (!taken) {
      const [hasAny] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(contactPhones)
        .where(eq(contactPhones.contactId, contactId));
      await tx.insert(contactPhones).values({ contactId, phone: d.phone, isPrimary: (hasAny?.n ?? 0) === 0 });
      added = true;
    }
  }
  return added;
}
