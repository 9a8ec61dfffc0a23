CREATE TABLE "chat_message_keys" (
	"ticket_id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"message_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_message_keys_ticket_id_client_id_pk" PRIMARY KEY("ticket_id","client_id")
);
--> statement-breakpoint
ALTER TABLE "chat_message_keys" ADD CONSTRAINT "chat_message_keys_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_message_keys" ADD CONSTRAINT "chat_message_keys_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;