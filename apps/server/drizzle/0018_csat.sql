CREATE TABLE "csat_reasons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"labels" jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "csat_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"delay_minutes" integer DEFAULT 60 NOT NULL,
	"expiry_days" integer DEFAULT 7 NOT NULL,
	"scale" text DEFAULT 'good_bad' NOT NULL,
	"channels" text[] DEFAULT '{email,web,chat,phone}'::text[] NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "csat_settings_single_row" CHECK ("csat_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "csat_skips" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "csat_surveys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"contact_id" uuid,
	"agent_id" uuid,
	"team_id" uuid,
	"channel" "channel" NOT NULL,
	"language" text NOT NULL,
	"scale" text NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"token_hash" text,
	"solved_at" timestamp (3) with time zone NOT NULL,
	"send_at" timestamp (3) with time zone NOT NULL,
	"sent_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone,
	"rating" smallint,
	"good" boolean,
	"comment" text,
	"reason_id" uuid,
	"rated_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "csat_skips" ADD CONSTRAINT "csat_skips_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_skips" ADD CONSTRAINT "csat_skips_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_reason_id_csat_reasons_id_fk" FOREIGN KEY ("reason_id") REFERENCES "public"."csat_reasons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "csat_surveys_token_idx" ON "csat_surveys" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "csat_surveys_resolution_idx" ON "csat_surveys" USING btree ("ticket_id","solved_at");--> statement-breakpoint
CREATE INDEX "csat_surveys_ticket_idx" ON "csat_surveys" USING btree ("ticket_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "csat_surveys_rated_idx" ON "csat_surveys" USING btree ("rated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE rated_at is not null;--> statement-breakpoint
CREATE INDEX "csat_surveys_agent_idx" ON "csat_surveys" USING btree ("agent_id","rated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "csat_surveys_contact_idx" ON "csat_surveys" USING btree ("contact_id","created_at" DESC NULLS LAST);