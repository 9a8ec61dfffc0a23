-- The three notification tables fold into "notifications" (issue 13): every row is copied
-- with its read state; kinds take the shared vocabulary's names; the old title (and body)
-- travel as params "text"/"body", which the notification centre shows as they were.
INSERT INTO "notifications" ("user_id", "kind", "subject_type", "subject_id", "ticket_id", "link", "params", "dedupe_key", "read_at", "created_at")
SELECT s."user_id",
  CASE s."kind" WHEN 'sla_warning' THEN 'sla.warning' WHEN 'sla_breach' THEN 'sla.breach'
    WHEN 'pending_until' THEN 'ticket.pending_until' WHEN 'promise_reminder' THEN 'promise.reminder'
    WHEN 'promise_overdue' THEN 'promise.overdue' ELSE s."kind" END,
  CASE WHEN s."promise_id" IS NOT NULL THEN 'promise' WHEN s."ticket_id" IS NOT NULL THEN 'ticket' END,
  coalesce(s."promise_id", s."ticket_id"),
  s."ticket_id",
  CASE WHEN s."ticket_id" IS NOT NULL THEN '/tickets/' || s."ticket_id" END,
  (CASE WHEN jsonb_typeof(s."data") = 'object' THEN s."data" ELSE '{}'::jsonb END) || jsonb_build_object('text', s."title"),
  s."dedupe_key", s."read_at", s."created_at"
FROM "sla_notifications" s
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "notifications" ("user_id", "kind", "link", "params", "dedupe_key", "read_at", "created_at")
SELECT p."user_id",
  CASE p."kind" WHEN 'morning_plan' THEN 'planner.morning_plan' ELSE p."kind" END,
  '/planner/today',
  (CASE WHEN jsonb_typeof(p."data") = 'object' THEN p."data" ELSE '{}'::jsonb END)
    || jsonb_build_object('text', p."title", 'day', p."day"),
  CASE p."kind" WHEN 'morning_plan' THEN 'morning:' || p."day" ELSE 'planner:' || p."kind" || ':' || p."day" END,
  p."read_at", p."created_at"
FROM "planner_notifications" p
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "notifications" ("user_id", "kind", "subject_type", "subject_id", "ticket_id", "link", "params", "read_at", "created_at")
SELECT a."user_id",
  CASE a."kind" WHEN 'automation' THEN 'automation.notify' WHEN 'runaround' THEN 'ticket.runaround' ELSE a."kind" END,
  CASE WHEN a."ticket_id" IS NOT NULL THEN 'ticket' END,
  a."ticket_id",
  a."ticket_id",
  CASE WHEN a."ticket_id" IS NOT NULL THEN '/tickets/' || a."ticket_id" END,
  (CASE WHEN jsonb_typeof(a."data") = 'object' THEN a."data" ELSE '{}'::jsonb END)
    || jsonb_build_object('text', a."title", 'body', a."body"),
  a."read_at", a."created_at"
FROM "agent_notifications" a;--> statement-breakpoint
DROP TABLE "agent_notifications" CASCADE;--> statement-breakpoint
DROP TABLE "planner_notifications" CASCADE;--> statement-breakpoint
DROP TABLE "sla_notifications" CASCADE;