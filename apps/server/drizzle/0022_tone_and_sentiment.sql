CREATE TYPE "public"."sentiment" AS ENUM('negative', 'neutral', 'positive');--> statement-breakpoint
CREATE TABLE "tone_flags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"user_id" uuid,
	"team_id" uuid,
	"phrase" text NOT NULL,
	"accepted" boolean NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tone_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text,
	"lang" text NOT NULL,
	"pattern" text NOT NULL,
	"category" text NOT NULL,
	"suggestions" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by_id" uuid,
	"deleted_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "sentiment" "sentiment";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "sentiment_score" real;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "sentiment" "sentiment";--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "worst_sentiment" "sentiment";--> statement-breakpoint
ALTER TABLE "tone_flags" ADD CONSTRAINT "tone_flags_rule_id_tone_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."tone_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tone_flags" ADD CONSTRAINT "tone_flags_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tone_flags" ADD CONSTRAINT "tone_flags_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tone_flags" ADD CONSTRAINT "tone_flags_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tone_flags" ADD CONSTRAINT "tone_flags_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tone_rules" ADD CONSTRAINT "tone_rules_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tone_flags_created_idx" ON "tone_flags" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "tone_flags_rule_idx" ON "tone_flags" USING btree ("rule_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tone_rules_key_idx" ON "tone_rules" USING btree ("key");--> statement-breakpoint
CREATE INDEX "tone_rules_lang_idx" ON "tone_rules" USING btree ("lang");