CREATE TABLE "ifd_scores" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"item_id" integer NOT NULL,
	"round" integer NOT NULL,
	"conditioned_nll" real NOT NULL,
	"unconditioned_nll" real NOT NULL,
	"ifd" real NOT NULL,
	"answer_tokens" integer NOT NULL,
	"student_model" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "expansions" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"round" integer NOT NULL,
	"pass" integer NOT NULL,
	"seed_item_id" integer NOT NULL,
	"slot" integer NOT NULL,
	"category" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"item_id" integer,
	"llm_call_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plan_entries" ALTER COLUMN "mfd" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "student_base_url" text;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "expansion_passes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "started_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_entries" ADD COLUMN "ifd" real;--> statement-breakpoint
ALTER TABLE "plan_entries" ADD COLUMN "difficulty" real DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "plan_entries" SET "difficulty" = "mfd" WHERE "mfd" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_entries" ADD COLUMN "hard" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "ifd_scores" ADD CONSTRAINT "ifd_scores_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expansions" ADD CONSTRAINT "expansions_seed_item_id_items_id_fk" FOREIGN KEY ("seed_item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ifd_scores_item_round_uq" ON "ifd_scores" USING btree ("item_id","round");--> statement-breakpoint
CREATE INDEX "ifd_scores_campaign_round_idx" ON "ifd_scores" USING btree ("campaign_id","round");--> statement-breakpoint
CREATE UNIQUE INDEX "expansions_seed_slot_uq" ON "expansions" USING btree ("campaign_id","seed_item_id","slot");--> statement-breakpoint
CREATE INDEX "expansions_round_status_idx" ON "expansions" USING btree ("campaign_id","round","status");