import { boolean, index, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, tstz } from "../../db/columns.ts";
import { contacts, organizations } from "../contacts/contacts.table.ts";
import { tickets } from "../tickets/tickets.table.ts";

/**
 * One-time sign-in links of the customer portal: only the SHA-256 of the token is kept; a
 * link is good once (`used_at`) and for 15 minutes.
 */
export const portalLinks = pgTable(
  "portal_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("portal_links_contact_idx").on(t.contactId, t.createdAt.desc().nullsFirst())],
);

/**
 * Every link request, whether or not the address belongs to a customer (a keyed hash of the
 * address and of the client's IP address): the per-address and per-network limits count them,
 * so refusals look the same for known and unknown addresses.
 */
export const portalLinkRequests = pgTable(
  "portal_link_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    emailHash: text("email_hash").notNull(),
    ipHash: text("ip_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("portal_link_requests_email_idx").on(t.emailHash, t.createdAt.desc().nullsFirst()),
    index("portal_link_requests_ip_idx").on(t.ipHash, t.createdAt.desc().nullsFirst()),
  ],
);

/** Organizations whose members see each other's requests in the portal. */
export const portalOrganizations = pgTable("portal_organizations", {
  organizationId: uuid("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  shareRequests: boolean("share_requests").notNull().default(false),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
});

/**
 * Deflection (docs/portal.md): each article suggested to a customer before a request, per
 * suggestion session (`sid`, made by the page that shows suggestions): when it was shown, when
 * it was opened, and the request the same session created afterwards, if any.
 */
export const kbDeflections = pgTable(
  "kb_deflections",
  {
    sid: text("sid").notNull(),
    articleId: uuid("article_id").notNull(),
    language: text("language").notNull(),
    /** form | widget | portal */
    source: text("source").notNull(),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    shownAt: tstz("shown_at").notNull(),
    openedAt: tstz("opened_at"),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    requestedAt: tstz("requested_at"),
  },
  (t) => [
    primaryKey({ columns: [t.sid, t.articleId] }),
    index("kb_deflections_article_idx").on(t.articleId, t.language, t.shownAt),
    index("kb_deflections_shown_idx").on(t.shownAt),
    index("kb_deflections_contact_idx").on(t.contactId, t.shownAt),
  ],
);
