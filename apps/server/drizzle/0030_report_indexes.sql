CREATE INDEX "ticket_transfers_created_idx" ON "ticket_transfers" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "ticket_events_status_changed_idx" ON "ticket_events" USING btree ("created_at") WHERE type = 'status.changed';--> statement-breakpoint
CREATE INDEX "tickets_unsolved_created_idx" ON "tickets" USING btree ("created_at") WHERE solved_at is null;