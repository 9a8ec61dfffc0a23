CREATE TABLE "absence_ticket_handovers" (
	"absence_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"returned_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "planned_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"cover_id" uuid,
	"cover_absence_id" uuid,
	"date" date NOT NULL,
	"time" text,
	"time_zone" text,
	"channel" text DEFAULT 'phone' NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"outcome" text,
	"completed_at" timestamp (3) with time zone,
	"completed_by_id" uuid,
	"previous_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "planned_contacts_status" CHECK ("planned_contacts"."status" in ('planned','done','missed','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "planner_absences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"cover_id" uuid NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "planner_absences_status" CHECK ("planner_absences"."status" in ('scheduled','active','ended','cancelled')),
	CONSTRAINT "planner_absences_range" CHECK ("planner_absences"."from_date" <= "planner_absences"."to_date")
);
--> statement-breakpoint
CREATE TABLE "planner_cadences" (
	"contact_id" uuid PRIMARY KEY NOT NULL,
	"every" integer NOT NULL,
	"unit" text NOT NULL,
	"anchor_day" integer,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "planner_cadences_unit" CHECK ("planner_cadences"."unit" in ('day','week','month'))
);
--> statement-breakpoint
CREATE TABLE "planner_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"day" date NOT NULL,
	"title" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"read_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "planner_settings" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"capacity_per_day" integer DEFAULT 8 NOT NULL,
	"work_days" integer[] DEFAULT '{1,2,3,4,5}'::int[] NOT NULL,
	"reminder_email" boolean DEFAULT false NOT NULL,
	"ical_token_hash" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"contact_id" uuid NOT NULL,
	"type" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"search_vector" "tsvector" DEFAULT ''::tsvector NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "absence_ticket_handovers" ADD CONSTRAINT "absence_ticket_handovers_absence_id_planner_absences_id_fk" FOREIGN KEY ("absence_id") REFERENCES "public"."planner_absences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence_ticket_handovers" ADD CONSTRAINT "absence_ticket_handovers_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planned_contacts" ADD CONSTRAINT "planned_contacts_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planned_contacts" ADD CONSTRAINT "planned_contacts_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planned_contacts" ADD CONSTRAINT "planned_contacts_cover_id_users_id_fk" FOREIGN KEY ("cover_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planned_contacts" ADD CONSTRAINT "planned_contacts_completed_by_id_users_id_fk" FOREIGN KEY ("completed_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planner_absences" ADD CONSTRAINT "planner_absences_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planner_absences" ADD CONSTRAINT "planner_absences_cover_id_users_id_fk" FOREIGN KEY ("cover_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planner_absences" ADD CONSTRAINT "planner_absences_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planner_cadences" ADD CONSTRAINT "planner_cadences_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planner_notifications" ADD CONSTRAINT "planner_notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "planner_settings" ADD CONSTRAINT "planner_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_events" ADD CONSTRAINT "contact_events_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_notes" ADD CONSTRAINT "contact_notes_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_notes" ADD CONSTRAINT "contact_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "absence_ticket_handovers_key" ON "absence_ticket_handovers" USING btree ("absence_id","ticket_id");--> statement-breakpoint
CREATE INDEX "planned_contacts_owner_date_idx" ON "planned_contacts" USING btree ("owner_id","date","status");--> statement-breakpoint
CREATE INDEX "planned_contacts_cover_date_idx" ON "planned_contacts" USING btree ("cover_id","date","status") WHERE "planned_contacts"."cover_id" is not null;--> statement-breakpoint
CREATE INDEX "planned_contacts_contact_idx" ON "planned_contacts" USING btree ("contact_id","date");--> statement-breakpoint
CREATE INDEX "planner_absences_agent_idx" ON "planner_absences" USING btree ("agent_id","from_date");--> statement-breakpoint
CREATE INDEX "planner_absences_cover_idx" ON "planner_absences" USING btree ("cover_id","from_date");--> statement-breakpoint
CREATE UNIQUE INDEX "planner_notifications_key" ON "planner_notifications" USING btree ("user_id","kind","day");--> statement-breakpoint
CREATE INDEX "contact_events_contact_idx" ON "contact_events" USING btree ("contact_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "contact_notes_contact_idx" ON "contact_notes" USING btree ("contact_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);