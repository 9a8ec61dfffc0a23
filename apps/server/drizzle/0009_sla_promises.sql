CREATE TABLE "promises" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid,
	"contact_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"amount_minor" bigint,
	"currency" text,
	"percent" integer,
	"owner_id" uuid NOT NULL,
	"team_id" uuid,
	"created_by_id" uuid,
	"due_at" timestamp (3) with time zone NOT NULL,
	"remind_at" timestamp (3) with time zone,
	"reminded_at" timestamp (3) with time zone,
	"overdue_notified_at" timestamp (3) with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"completed_at" timestamp (3) with time zone,
	"kept_on_time" boolean,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "business_calendars" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"week" jsonb NOT NULL,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"ticket_id" uuid,
	"promise_id" uuid,
	"title" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"read_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"conditions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"calendar_id" uuid,
	"targets" jsonb NOT NULL,
	"pause_statuses" text[] DEFAULT '{pending,on_hold}'::text[] NOT NULL,
	"warn_minutes" integer DEFAULT 60 NOT NULL,
	"escalations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_snoozes" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"until" timestamp (3) with time zone NOT NULL,
	"user_id" uuid,
	"outcome" text,
	"fired_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"policy_id" uuid,
	"metric" text NOT NULL,
	"cycle" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"business" boolean NOT NULL,
	"target_ms" bigint NOT NULL,
	"goal_ms" bigint,
	"started_at" timestamp (3) with time zone NOT NULL,
	"run_started_at" timestamp (3) with time zone,
	"consumed_ms" bigint DEFAULT 0 NOT NULL,
	"paused_since" timestamp (3) with time zone,
	"paused_ms" bigint DEFAULT 0 NOT NULL,
	"due_at" timestamp (3) with time zone,
	"goal_at" timestamp (3) with time zone,
	"warn_at" timestamp (3) with time zone,
	"warned_at" timestamp (3) with time zone,
	"breached_at" timestamp (3) with time zone,
	"met_at" timestamp (3) with time zone,
	"elapsed_ms" bigint,
	"met_goal" boolean,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "next_due_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "promises" ADD CONSTRAINT "promises_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promises" ADD CONSTRAINT "promises_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promises" ADD CONSTRAINT "promises_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promises" ADD CONSTRAINT "promises_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promises" ADD CONSTRAINT "promises_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_notifications" ADD CONSTRAINT "sla_notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_notifications" ADD CONSTRAINT "sla_notifications_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_calendar_id_business_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."business_calendars"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_snoozes" ADD CONSTRAINT "sla_snoozes_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_snoozes" ADD CONSTRAINT "sla_snoozes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_targets" ADD CONSTRAINT "sla_targets_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_targets" ADD CONSTRAINT "sla_targets_policy_id_sla_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."sla_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "promises_ticket_idx" ON "promises" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "promises_contact_idx" ON "promises" USING btree ("contact_id","due_at");--> statement-breakpoint
CREATE INDEX "promises_owner_idx" ON "promises" USING btree ("owner_id","status","due_at");--> statement-breakpoint
CREATE INDEX "promises_open_due_idx" ON "promises" USING btree ("due_at") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "promises_open_remind_idx" ON "promises" USING btree ("remind_at") WHERE status = 'open' and reminded_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "sla_notifications_key" ON "sla_notifications" USING btree ("user_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "sla_notifications_user_idx" ON "sla_notifications" USING btree ("user_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "sla_policies_position_idx" ON "sla_policies" USING btree ("position");--> statement-breakpoint
CREATE INDEX "sla_snoozes_until_idx" ON "sla_snoozes" USING btree ("until") WHERE fired_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "sla_targets_ticket_metric_cycle" ON "sla_targets" USING btree ("ticket_id","metric","cycle");--> statement-breakpoint
CREATE INDEX "sla_targets_due_idx" ON "sla_targets" USING btree ("due_at") WHERE breached_at is null and met_at is null and due_at is not null;--> statement-breakpoint
CREATE INDEX "sla_targets_warn_idx" ON "sla_targets" USING btree ("warn_at") WHERE warned_at is null and met_at is null and breached_at is null and warn_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_next_due_idx" ON "tickets" USING btree (coalesce(next_due_at, 'infinity'::timestamptz),"id");