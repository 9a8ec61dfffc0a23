DROP INDEX "contacts_created_idx";--> statement-breakpoint
DROP INDEX "messages_ticket_created_idx";--> statement-breakpoint
DROP INDEX "tickets_updated_idx";--> statement-breakpoint
DROP INDEX "tickets_created_idx";--> statement-breakpoint
DROP INDEX "tickets_open_updated_idx";--> statement-breakpoint
DROP INDEX "tickets_open_unassigned_idx";--> statement-breakpoint
DROP INDEX "tickets_assignee_status_updated_idx";--> statement-breakpoint
DROP INDEX "tickets_team_status_updated_idx";--> statement-breakpoint
DROP INDEX "tickets_status_updated_idx";--> statement-breakpoint
DROP INDEX "tickets_requester_idx";--> statement-breakpoint
CREATE INDEX "messages_created_idx" ON "messages" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tickets_open_assignee_updated_idx" ON "tickets" USING btree ("assignee_id","updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE status in ('new','open');--> statement-breakpoint
CREATE INDEX "tickets_open_team_updated_idx" ON "tickets" USING btree ("team_id","updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE status in ('new','open');--> statement-breakpoint
CREATE INDEX "contacts_created_idx" ON "contacts" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "messages_ticket_created_idx" ON "messages" USING btree ("ticket_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tickets_updated_idx" ON "tickets" USING btree ("updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tickets_created_idx" ON "tickets" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tickets_open_updated_idx" ON "tickets" USING btree ("updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE status in ('new','open');--> statement-breakpoint
CREATE INDEX "tickets_open_unassigned_idx" ON "tickets" USING btree ("updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE status in ('new','open') and assignee_id is null;--> statement-breakpoint
CREATE INDEX "tickets_assignee_status_updated_idx" ON "tickets" USING btree ("assignee_id","status","updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tickets_team_status_updated_idx" ON "tickets" USING btree ("team_id","status","updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tickets_status_updated_idx" ON "tickets" USING btree ("status","updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "tickets_requester_idx" ON "tickets" USING btree ("requester_id","created_at" DESC NULLS FIRST);