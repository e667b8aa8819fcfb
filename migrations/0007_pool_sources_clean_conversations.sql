CREATE TABLE "text_embeddings" (
	"model" text NOT NULL,
	"text_hash" text NOT NULL,
	"dimensions" integer NOT NULL,
	"vector" "bytea" NOT NULL,
	"call_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "text_embeddings_model_text_hash_pk" PRIMARY KEY("model","text_hash")
);
--> statement-breakpoint
CREATE TABLE "follow_up_answers" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"item_id" integer NOT NULL,
	"turn" integer NOT NULL,
	"text" text NOT NULL,
	"model" text,
	"prompt_version" text,
	"llm_call_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "syntheses" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"round" integer NOT NULL,
	"category" text NOT NULL,
	"slot" integer NOT NULL,
	"topic" text NOT NULL,
	"audience" text NOT NULL,
	"form" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"item_id" integer,
	"llm_call_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "syntheses_status_check" CHECK ("syntheses"."status" in ('pending', 'accepted', 'rejected', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "items" DROP CONSTRAINT "items_origin_check";--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "source_shard" integer;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "system" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "follow_ups" jsonb;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "duplicate_sources" text[];--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "clean_verdict" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "clean_reason" text;--> statement-breakpoint
ALTER TABLE "items" ADD COLUMN "clean_evidence" jsonb;--> statement-breakpoint
ALTER TABLE "follow_up_answers" ADD CONSTRAINT "follow_up_answers_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "text_embeddings_call_idx" ON "text_embeddings" USING btree ("call_id");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_answers_item_turn_uq" ON "follow_up_answers" USING btree ("item_id","turn");--> statement-breakpoint
CREATE INDEX "follow_up_answers_campaign_idx" ON "follow_up_answers" USING btree ("campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "syntheses_category_slot_uq" ON "syntheses" USING btree ("campaign_id","category","slot");--> statement-breakpoint
CREATE INDEX "syntheses_round_status_idx" ON "syntheses" USING btree ("campaign_id","round","status");--> statement-breakpoint
CREATE INDEX "syntheses_item_idx" ON "syntheses" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "items_uncleaned_idx" ON "items" USING btree ("campaign_id") WHERE clean_verdict is null and status <> 'failed';--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_clean_verdict_check" CHECK ("items"."clean_verdict" in ('kept', 'dropped'));--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_origin_check" CHECK ("items"."origin" in ('seed', 'expanded', 'synthesized'));
--> statement-breakpoint
-- hand: items imported before the clean step existed were never cleaned and must not wait for it: they count as kept.
UPDATE "items" SET "clean_verdict" = 'kept' WHERE "clean_verdict" IS NULL;
