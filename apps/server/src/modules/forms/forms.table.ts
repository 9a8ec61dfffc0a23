import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "../../db/columns.ts";
import { tickets } from "../tickets/tickets.table.ts";

/**
 * Every public form submission, accepted or refused: the per-address rate limit counts
 * them (across server processes), and admins see what the spam checks refused.
 * The address is kept only as a keyed hash.
 */
export const formSubmissions = pgTable(
  "form_submissions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ipHash: text("ip_hash").notNull(),
    /** accepted | honeypot | too_fast | expired | rate_limited | invalid */
    outcome: text("outcome").notNull(),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("form_submissions_ip_idx").on(t.ipHash, t.createdAt.desc().nullsFirst()),
    index("form_submissions_created_idx").on(t.createdAt.desc().nullsFirst()),
  ],
);
