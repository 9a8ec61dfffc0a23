ALTER TABLE "loyalty_ledger" DROP CONSTRAINT "loyalty_ledger_kind";--> statement-breakpoint
ALTER TABLE "loyalty_ledger" DROP CONSTRAINT "loyalty_ledger_sign";--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_ledger_reverse_key" ON "loyalty_ledger" USING btree ("order_id") WHERE "loyalty_ledger"."kind" = 'reverse';--> statement-breakpoint
ALTER TABLE "loyalty_ledger" ADD CONSTRAINT "loyalty_ledger_kind" CHECK ("loyalty_ledger"."kind" in ('earn','grant','redeem','expire','reverse'));--> statement-breakpoint
ALTER TABLE "loyalty_ledger" ADD CONSTRAINT "loyalty_ledger_sign" CHECK (("loyalty_ledger"."kind" in ('earn','grant') and "loyalty_ledger"."points" > 0) or ("loyalty_ledger"."kind" in ('redeem','expire','reverse') and "loyalty_ledger"."points" < 0));