ALTER TABLE "tickets" ADD COLUMN "first_response_business_seconds" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "resolution_business_seconds" integer;--> statement-breakpoint
CREATE INDEX "tickets_solved_idx" ON "tickets" USING btree ("solved_at") WHERE solved_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_first_response_idx" ON "tickets" USING btree ("first_response_at") WHERE first_response_at is not null;