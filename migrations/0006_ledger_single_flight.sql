ALTER TABLE "llm_calls" DROP CONSTRAINT "llm_calls_status_check";--> statement-breakpoint
ALTER TABLE "llm_calls" ADD CONSTRAINT "llm_calls_status_check" CHECK ("llm_calls"."status" in ('pending', 'completed', 'failed', 'served', 'abandoned'));--> statement-breakpoint
ALTER TABLE "llm_calls" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "llm_calls" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "llm_calls" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
-- Hand-written: rows left pending before leases existed have no owner that could still answer
-- them (upgrade with workers stopped), and several pending rows of one key would break the index.
UPDATE "llm_calls" SET "status" = 'abandoned', "completed_at" = coalesce("completed_at", now()), "error" = 'abandoned: left pending before ledger leases existed' WHERE "status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "llm_calls_in_flight_key_uq" ON "llm_calls" USING btree ("cache_key") WHERE status = 'pending';
