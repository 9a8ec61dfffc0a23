import { AVAILABILITIES, ROLES } from "@rapport/shared";
import { sql } from "drizzle-orm";
import { boolean, index, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../../db/columns.ts";

export const roleEnum = pgEnum("role", ROLES);
export const availabilityEnum = pgEnum("availability", AVAILABILITIES);

/** Agents, managers and admins. Customers are contacts, never users. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** The name visitors see in live chat ("Bảo"), set by the agent; null: the full name. */
    chatName: text("chat_name"),
    passwordHash: text("password_hash"),
    role: roleEnum("role").notNull().default("agent"),
    languages: text("languages").array().notNull().default(sql`'{}'::text[]`),
    availability: availabilityEnum("availability").notNull().default("offline"),
    locale: text("locale").notNull().default("en"),
    timeZone: text("time_zone"),
    active: boolean("active").notNull().default(true),
    lastLoginAt: tstz("last_login_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    index("users_role_idx").on(t.role),
  ],
);
