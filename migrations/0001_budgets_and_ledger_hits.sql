ALTER TABLE "campaigns" ADD COLUMN "budget_usd" double precision;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "budget_tokens" bigint;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "spent_usd" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "spent_tokens" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "reserved_usd" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "reserved_tokens" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "llm_calls" ADD COLUMN "served_from_call_id" integer;