import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "../db/columns.ts";

/**
 * The durable job queue (outbox). A job row is written in the same transaction as
 * the change that needs it, so nothing is sent before commit and nothing is lost
 * after it. Workers claim rows with `FOR UPDATE SKIP LOCKED`.
 * status: queued -> running -> done | queued (retry, later run_at) | failed (permanent).
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").notNull().default(sql`'{}'::jsonb`),
    status: text("status").notNull().default("queued"),
    runAt: tstz("run_at").notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(8),
    dedupeKey: text("dedupe_key"),
    lastError: text("last_error"),
    lockedBy: text("locked_by"),
    lockedAt: tstz("locked_at"),
    finishedAt: tstz("finished_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("jobs_runnable_idx").on(t.runAt, t.id).where(sql`status = 'queued'`),
    index("jobs_running_idx").on(t.lockedAt).where(sql`status = 'running'`),
    index("jobs_kind_status_idx").on(t.kind, t.status, t.id.desc()),
    uniqueIndex("jobs_kind_dedupe_key").on(t.kind, t.dedupeKey),
  ],
);
