CREATE TABLE "order_intake" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"shop_id" uuid NOT NULL,
	"signature_hash" text NOT NULL,
	"raw_body" text NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"error" text,
	"order_id" uuid,
	"received_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_shops" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"inbound_key" text NOT NULL,
	"secret_salt" text NOT NULL,
	"secret_fingerprint" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_tickets" (
	"order_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_tickets_order_id_ticket_id_pk" PRIMARY KEY("order_id","ticket_id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"organization_id" uuid,
	"shop_id" uuid,
	"external_id" text,
	"number" text NOT NULL,
	"placed_at" timestamp (3) with time zone NOT NULL,
	"status" text DEFAULT 'placed' NOT NULL,
	"currency" text NOT NULL,
	"total_minor" bigint NOT NULL,
	"discount_minor" bigint DEFAULT 0 NOT NULL,
	"coupon" text,
	"channel" text,
	"items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"source" text DEFAULT 'api' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_status_check" CHECK ("orders"."status" in ('placed','paid','shipped','delivered','cancelled','refunded')),
	CONSTRAINT "orders_currency_check" CHECK ("orders"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "customer_values" (
	"contact_id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid,
	"purchases" integer DEFAULT 0 NOT NULL,
	"first_purchase_at" timestamp (3) with time zone,
	"last_purchase_at" timestamp (3) with time zone,
	"first_gap_days" double precision,
	"frequency" integer DEFAULT 0 NOT NULL,
	"monetary_minor" bigint DEFAULT 0 NOT NULL,
	"lifetime_minor" bigint DEFAULT 0 NOT NULL,
	"r_score" smallint,
	"f_score" smallint,
	"m_score" smallint,
	"segment" text DEFAULT 'no_purchase' NOT NULL,
	"interval_days" double precision DEFAULT 90 NOT NULL,
	"own_interval" boolean DEFAULT false NOT NULL,
	"next_reminder_at" timestamp (3) with time zone,
	"tier_id" uuid,
	"tier_since" timestamp (3) with time zone,
	"points" integer DEFAULT 0 NOT NULL,
	"relationship_type" text,
	"relationship_suggested" text,
	"relationship_confirmed_by_id" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loyalty_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"contact_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"points" integer NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"order_id" uuid,
	"reason" text DEFAULT '' NOT NULL,
	"actor_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_ledger_kind" CHECK ("loyalty_ledger"."kind" in ('earn','grant','redeem','expire')),
	CONSTRAINT "loyalty_ledger_sign" CHECK (("loyalty_ledger"."kind" in ('earn','grant') and "loyalty_ledger"."points" > 0) or ("loyalty_ledger"."kind" in ('redeem','expire') and "loyalty_ledger"."points" < 0))
);
--> statement-breakpoint
CREATE TABLE "loyalty_tiers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"rank" integer NOT NULL,
	"min_points" integer,
	"min_spend_minor" bigint,
	"discount_percent" integer DEFAULT 0 NOT NULL,
	"routing_priority" integer DEFAULT 0 NOT NULL,
	"benefits" text DEFAULT '' NOT NULL,
	"color" text DEFAULT 'gray' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rfm_snapshots" (
	"quarter" text NOT NULL,
	"segment" text NOT NULL,
	"customers" integer NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rfm_snapshots_quarter_segment_pk" PRIMARY KEY("quarter","segment")
);
--> statement-breakpoint
CREATE TABLE "value_reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"last_purchase_at" timestamp (3) with time zone NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"mode" text NOT NULL,
	"status" text DEFAULT 'done' NOT NULL,
	"planned_contact_id" uuid,
	"interval_days" double precision NOT NULL,
	"converted_at" timestamp (3) with time zone,
	"converted_order_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "value_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"base_currency" text DEFAULT 'USD' NOT NULL,
	"rates" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"window_months" integer DEFAULT 12 NOT NULL,
	"default_interval_days" integer DEFAULT 90 NOT NULL,
	"min_customers_for_org_interval" integer DEFAULT 20 NOT NULL,
	"reminder_lead_days" integer DEFAULT 7 NOT NULL,
	"reminder_mode" text DEFAULT 'planner' NOT NULL,
	"reminder_template" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reminder_offer" text DEFAULT '' NOT NULL,
	"points_per_unit" double precision DEFAULT 1 NOT NULL,
	"points_per_order" integer DEFAULT 0 NOT NULL,
	"points_per_sku" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"points_expiry_months" integer DEFAULT 12 NOT NULL,
	"r_breaks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"f_breaks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"m_breaks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"org_interval_days" double precision DEFAULT 90 NOT NULL,
	"recomputed_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "value_settings_single_row" CHECK ("value_settings"."id" = 1),
	CONSTRAINT "value_settings_reminder_mode" CHECK ("value_settings"."reminder_mode" in ('planner','email','off'))
);
--> statement-breakpoint
ALTER TABLE "order_intake" ADD CONSTRAINT "order_intake_shop_id_order_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."order_shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_intake" ADD CONSTRAINT "order_intake_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_shops" ADD CONSTRAINT "order_shops_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_tickets" ADD CONSTRAINT "order_tickets_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_tickets" ADD CONSTRAINT "order_tickets_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_shop_id_order_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."order_shops"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_values" ADD CONSTRAINT "customer_values_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_values" ADD CONSTRAINT "customer_values_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_values" ADD CONSTRAINT "customer_values_relationship_confirmed_by_id_users_id_fk" FOREIGN KEY ("relationship_confirmed_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_ledger" ADD CONSTRAINT "loyalty_ledger_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_ledger" ADD CONSTRAINT "loyalty_ledger_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_ledger" ADD CONSTRAINT "loyalty_ledger_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_reminders" ADD CONSTRAINT "value_reminders_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_reminders" ADD CONSTRAINT "value_reminders_planned_contact_id_planned_contacts_id_fk" FOREIGN KEY ("planned_contact_id") REFERENCES "public"."planned_contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "value_reminders" ADD CONSTRAINT "value_reminders_converted_order_id_orders_id_fk" FOREIGN KEY ("converted_order_id") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "order_intake_signature_key" ON "order_intake" USING btree ("shop_id","signature_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "order_shops_inbound_key" ON "order_shops" USING btree ("inbound_key");--> statement-breakpoint
CREATE INDEX "order_tickets_ticket_idx" ON "order_tickets" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_external_key" ON "orders" USING btree (coalesce("shop_id", '00000000-0000-0000-0000-000000000000'::uuid),"external_id");--> statement-breakpoint
CREATE INDEX "orders_contact_idx" ON "orders" USING btree ("contact_id","placed_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "orders_organization_idx" ON "orders" USING btree ("organization_id","placed_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "orders_placed_idx" ON "orders" USING btree ("placed_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "customer_values_segment_idx" ON "customer_values" USING btree ("segment","contact_id");--> statement-breakpoint
CREATE INDEX "customer_values_rf_idx" ON "customer_values" USING btree ("r_score","f_score","contact_id");--> statement-breakpoint
CREATE INDEX "customer_values_reminder_idx" ON "customer_values" USING btree ("next_reminder_at");--> statement-breakpoint
CREATE INDEX "loyalty_ledger_contact_idx" ON "loyalty_ledger" USING btree ("contact_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_ledger_order_key" ON "loyalty_ledger" USING btree ("order_id") WHERE "loyalty_ledger"."kind" = 'earn';--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_tiers_rank_key" ON "loyalty_tiers" USING btree ("rank");--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_tiers_name_key" ON "loyalty_tiers" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "value_reminders_interval_key" ON "value_reminders" USING btree ("contact_id","last_purchase_at");--> statement-breakpoint
CREATE INDEX "value_reminders_created_idx" ON "value_reminders" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
INSERT INTO "value_settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;
