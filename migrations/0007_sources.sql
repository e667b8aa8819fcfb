ALTER TABLE "items" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "source_shard" integer;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "duplicate_sources" text[];