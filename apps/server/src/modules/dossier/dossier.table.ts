import { sql } from "drizzle-orm";
import { bigserial, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tsvector } from "../../db/columns.ts";
import { contacts } from "../contacts/contacts.table.ts";
import { users } from "../users/users.table.ts";

/** Notes written on a customer (not on a ticket): the dossier's "write a note". */
export const contactNotes = pgTable(
  "contact_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    searchVector: tsvector("search_vector").notNull().default(sql`''::tsvector`),
    createdAt: createdAt(),
  },
  (t) => [
    index("contact_notes_contact_idx").on(
      t.contactId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
  ],
);

/** Things that happen to a customer outside tickets: merges, planner outcomes, handovers. */
export const contactEvents = pgTable(
  "contact_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    actorType: text("actor_type").notNull(),
    actorId: uuid("actor_id"),
    data: jsonb("data").notNull().default(sql`'{}'::jsonb`),
    searchText: text("search_text").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    index("contact_events_contact_idx").on(
      t.contactId,
      t.createdAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
  ],
);
