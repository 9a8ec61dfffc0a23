import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, tsvector, updatedAt } from "../../db/columns.ts";
import { users } from "../users/users.table.ts";

/** Companies that contacts belong to ("organizations" in the UI and API). */
export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    domains: text("domains").array().notNull().default(sql`'{}'::text[]`),
    notes: text("notes").notNull().default(""),
    address: text("address").notNull().default(""),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** Values of admin-defined fields (modules/fields), keyed by field key. */
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
    accountOwnerId: uuid("account_owner_id").references(() => users.id, { onDelete: "set null" }),
    searchName: text("search_name").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("organizations_name_lower_key").on(sql`lower(${t.name})`),
    index("organizations_domains_idx").using("gin", t.domains),
    index("organizations_search_name_trgm").using("gin", sql`${t.searchName} gin_trgm_ops`),
    index("organizations_custom_fields_idx").using("gin", sql`${t.customFields} jsonb_path_ops`),
  ],
);

/** Customers. Created by agents, through the API, or implicitly by an inbound message. */
export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull().default(""),
    language: text("language"),
    timeZone: text("time_zone"),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "set null" }),
    notes: text("notes").notNull().default(""),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** Values of admin-defined fields (modules/fields), keyed by field key. */
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
    /** Folded name, emails and phones, for trigram matching of fragments. */
    searchName: text("search_name").notNull().default(""),
    searchVector: tsvector("search_vector").notNull().default(sql`''::tsvector`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("contacts_search_name_trgm").using("gin", sql`${t.searchName} gin_trgm_ops`),
    index("contacts_search_vector_idx").using("gin", t.searchVector),
    index("contacts_organization_idx").on(t.organizationId),
    index("contacts_created_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("contacts_tags_idx").using("gin", t.tags),
    index("contacts_custom_fields_idx").using("gin", sql`${t.customFields} jsonb_path_ops`),
  ],
);

/** A contact's email addresses; an address belongs to one contact only (case-insensitive). */
export const contactEmails = pgTable(
  "contact_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    isPrimary: boolean("is_primary").notNull().default(false),
    verified: boolean("verified").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("contact_emails_email_lower_key").on(sql`lower(${t.email})`),
    index("contact_emails_contact_idx").on(t.contactId),
  ],
);

/** A contact's phone numbers, kept as typed and in E.164 where it can be parsed. */
export const contactPhones = pgTable(
  "contact_phones",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    phone: text("phone").notNull(),
    isPrimary: boolean("is_primary").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("contact_phones_phone_idx").on(t.phone), index("contact_phones_contact_idx").on(t.contactId)],
);
