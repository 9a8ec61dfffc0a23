CREATE TABLE "self_check_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"schedule_id" uuid,
	"channel" text NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"planned_at" timestamp (3) with time zone NOT NULL,
	"sent_at" timestamp (3) with time zone,
	"ticket_id" uuid,
	"answered_at" timestamp (3) with time zone,
	"promise_due_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone,
	"error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "self_check_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"per_week" integer DEFAULT 1 NOT NULL,
	"tell_agents" boolean DEFAULT false NOT NULL,
	"from_address" text,
	"mailbox_id" uuid,
	"chat_site_id" uuid,
	"expiry_hours" integer DEFAULT 72 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "self_check_run_id" uuid;--> statement-breakpoint
ALTER TABLE "self_check_runs" ADD CONSTRAINT "self_check_runs_schedule_id_self_check_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."self_check_schedules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_check_schedules" ADD CONSTRAINT "self_check_schedules_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_check_schedules" ADD CONSTRAINT "self_check_schedules_chat_site_id_chat_sites_id_fk" FOREIGN KEY ("chat_site_id") REFERENCES "public"."chat_sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "self_check_runs_status_idx" ON "self_check_runs" USING btree ("status","planned_at");--> statement-breakpoint
CREATE INDEX "self_check_runs_sent_idx" ON "self_check_runs" USING btree ("channel","sent_at") WHERE sent_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_self_check_idx" ON "tickets" USING btree ("id") WHERE self_check_run_id is not null;