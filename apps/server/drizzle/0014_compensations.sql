CREATE TABLE "approval_limits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scope" text NOT NULL,
	"scope_id" text NOT NULL,
	"kind" text DEFAULT '*' NOT NULL,
	"currency" text NOT NULL,
	"per_case_minor" bigint,
	"per_month_minor" bigint,
	"unlimited" boolean DEFAULT false NOT NULL,
	"updated_by_id" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approval_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"chain" jsonb NOT NULL,
	"escalate_after_minutes" integer DEFAULT 240 NOT NULL,
	"unlimited_roles" jsonb NOT NULL,
	"promise_due_hours" integer DEFAULT 48 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compensation_audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"compensation_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor_id" uuid,
	"amount_minor" bigint,
	"currency" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compensation_kinds" (
	"key" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compensation_month_totals" (
	"agent_id" uuid NOT NULL,
	"month" text NOT NULL,
	"kind" text NOT NULL,
	"currency" text NOT NULL,
	"total_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "compensation_month_totals_agent_id_month_kind_currency_pk" PRIMARY KEY("agent_id","month","kind","currency")
);
--> statement-breakpoint
CREATE TABLE "compensations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"team_id" uuid,
	"agent_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"currency" text NOT NULL,
	"requested_minor" bigint NOT NULL,
	"granted_minor" bigint,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"month" text NOT NULL,
	"promise_id" uuid,
	"level" integer,
	"escalate_at" timestamp (3) with time zone,
	"decided_by_id" uuid,
	"decided_at" timestamp (3) with time zone,
	"decision_comment" text,
	"tell_customer" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_leads" (
	"team_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "approval_limits" ADD CONSTRAINT "approval_limits_updated_by_id_users_id_fk" FOREIGN KEY ("updated_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compensation_month_totals" ADD CONSTRAINT "compensation_month_totals_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compensations" ADD CONSTRAINT "compensations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compensations" ADD CONSTRAINT "compensations_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compensations" ADD CONSTRAINT "compensations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compensations" ADD CONSTRAINT "compensations_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compensations" ADD CONSTRAINT "compensations_promise_id_promises_id_fk" FOREIGN KEY ("promise_id") REFERENCES "public"."promises"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compensations" ADD CONSTRAINT "compensations_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_leads" ADD CONSTRAINT "team_leads_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_leads" ADD CONSTRAINT "team_leads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approval_limits_scope_idx" ON "approval_limits" USING btree ("scope","scope_id");--> statement-breakpoint
CREATE INDEX "compensation_audit_comp_idx" ON "compensation_audit" USING btree ("compensation_id","created_at");--> statement-breakpoint
CREATE INDEX "compensations_ticket_idx" ON "compensations" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "compensations_contact_idx" ON "compensations" USING btree ("contact_id","created_at");--> statement-breakpoint
CREATE INDEX "compensations_agent_month_idx" ON "compensations" USING btree ("agent_id","month");--> statement-breakpoint
CREATE INDEX "compensations_pending_idx" ON "compensations" USING btree ("escalate_at") WHERE status = 'pending_approval';--> statement-breakpoint
CREATE FUNCTION "compensation_audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'compensation_audit is append-only: record a new entry instead';
END $$;
--> statement-breakpoint
CREATE TRIGGER "compensation_audit_append_only" BEFORE UPDATE OR DELETE ON "compensation_audit"
  FOR EACH ROW EXECUTE FUNCTION "compensation_audit_append_only"();
