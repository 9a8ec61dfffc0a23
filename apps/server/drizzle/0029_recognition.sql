CREATE TABLE "recognition_awards" (
	"month" text NOT NULL,
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"score" real NOT NULL,
	"figures" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recognition_awards_month_team_id_user_id_pk" PRIMARY KEY("month","team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "recognition_settings" (
	"team_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"public_board" boolean DEFAULT false NOT NULL,
	"weights" jsonb DEFAULT '{"csat":40,"firstResponse":25,"resolution":15,"promises":20,"reopened":30}'::jsonb NOT NULL,
	"min_solved" integer DEFAULT 5 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recognition_awards" ADD CONSTRAINT "recognition_awards_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition_awards" ADD CONSTRAINT "recognition_awards_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition_settings" ADD CONSTRAINT "recognition_settings_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recognition_awards_user_idx" ON "recognition_awards" USING btree ("user_id","month");