ALTER TABLE "items" ADD COLUMN "clean_verdict" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "clean_reason" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "clean_evidence" jsonb;--> statement-breakpoint
CREATE INDEX "items_uncleaned_idx" ON "items" USING btree ("campaign_id") WHERE clean_verdict is null and status <> 'failed';--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_clean_verdict_check" CHECK ("items"."clean_verdict" in ('kept', 'dropped'));--> statement-breakpoint
-- hand: items imported before the clean step existed were never cleaned and must not wait for it: they count as kept.
UPDATE "items" SET "clean_verdict" = 'kept' WHERE "clean_verdict" IS NULL;
