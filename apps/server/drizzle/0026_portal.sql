CREATE TABLE "kb_deflections" (
	"sid" text NOT NULL,
	"article_id" uuid NOT NULL,
	"language" text NOT NULL,
	"source" text NOT NULL,
	"contact_id" uuid,
	"shown_at" timestamp (3) with time zone NOT NULL,
	"opened_at" timestamp (3) with time zone,
	"ticket_id" uuid,
	"requested_at" timestamp (3) with time zone,
	CONSTRAINT "kb_deflections_sid_article_id_pk" PRIMARY KEY("sid","article_id")
);
--> statement-breakpoint
CREATE TABLE "portal_link_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email_hash" text NOT NULL,
	"ip_hash" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"contact_id" uuid NOT NULL,
	"email" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portal_organizations" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"share_requests" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_deflections" ADD CONSTRAINT "kb_deflections_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_deflections" ADD CONSTRAINT "kb_deflections_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_links" ADD CONSTRAINT "portal_links_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_organizations" ADD CONSTRAINT "portal_organizations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_deflections_article_idx" ON "kb_deflections" USING btree ("article_id","language","shown_at");--> statement-breakpoint
CREATE INDEX "kb_deflections_shown_idx" ON "kb_deflections" USING btree ("shown_at");--> statement-breakpoint
CREATE INDEX "kb_deflections_contact_idx" ON "kb_deflections" USING btree ("contact_id","shown_at");--> statement-breakpoint
CREATE INDEX "portal_link_requests_email_idx" ON "portal_link_requests" USING btree ("email_hash","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "portal_link_requests_ip_idx" ON "portal_link_requests" USING btree ("ip_hash","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "portal_links_contact_idx" ON "portal_links" USING btree ("contact_id","created_at" DESC NULLS FIRST);