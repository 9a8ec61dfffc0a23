ALTER TABLE "settings" ADD COLUMN "getting_started_dismissed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "chat_name" text;