CREATE TABLE "side_conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"participants" text[] NOT NULL,
	"token_hashes" text[] NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "side_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"side_conversation_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"author_user_id" uuid,
	"from_address" text,
	"to_addresses" text[] NOT NULL,
	"body_text" text NOT NULL,
	"body_html" text NOT NULL,
	"message_id_header" text,
	"outbound_email_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "side_conversations" ADD CONSTRAINT "side_conversations_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "side_conversations" ADD CONSTRAINT "side_conversations_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "side_messages" ADD CONSTRAINT "side_messages_side_conversation_id_side_conversations_id_fk" FOREIGN KEY ("side_conversation_id") REFERENCES "public"."side_conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "side_messages" ADD CONSTRAINT "side_messages_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "side_messages" ADD CONSTRAINT "side_messages_outbound_email_id_outbound_emails_id_fk" FOREIGN KEY ("outbound_email_id") REFERENCES "public"."outbound_emails"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "side_conversations_ticket_idx" ON "side_conversations" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "side_conversations_tokens_idx" ON "side_conversations" USING gin ("token_hashes");--> statement-breakpoint
CREATE INDEX "side_messages_conversation_idx" ON "side_messages" USING btree ("side_conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "side_messages_header_idx" ON "side_messages" USING btree ("message_id_header");