ALTER TABLE "kb_translations" ADD COLUMN "excerpt" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "kb_translations_slug_idx" ON "kb_translations" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "kb_translations_lang_views_idx" ON "kb_translations" USING btree ("language","views" DESC NULLS LAST) WHERE "kb_translations"."status" = 'published';--> statement-breakpoint
UPDATE "kb_translations" SET "excerpt" = left("body_text", 600);
