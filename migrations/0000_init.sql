CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"config" jsonb NOT NULL,
	"config_hash" text NOT NULL,
	"seed" integer NOT NULL,
	"status" text DEFAULT 'created' NOT NULL,
	"current_round" integer DEFAULT 1 NOT NULL,
	"message" text,
	"import_summary" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "items" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"seq" integer NOT NULL,
	"key" text NOT NULL,
	"instruction" text NOT NULL,
	"input" text DEFAULT '' NOT NULL,
	"category" text,
	"category_source" text,
	"origin" text DEFAULT 'seed' NOT NULL,
	"seed_item_id" integer,
	"source_line" integer,
	"duplicate_count" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"fail_step" text,
	"fail_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "answers" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"item_id" integer NOT NULL,
	"kind" text NOT NULL,
	"round" integer NOT NULL,
	"text" text NOT NULL,
	"source" text NOT NULL,
	"model" text,
	"prompt_version" text,
	"llm_call_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "judgments" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"item_id" integer NOT NULL,
	"round" integer NOT NULL,
	"teacher_score" real NOT NULL,
	"student_score" real NOT NULL,
	"mfd" real NOT NULL,
	"detail" jsonb NOT NULL,
	"judge_model" text NOT NULL,
	"prompt_version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rounds" (
	"campaign_id" text NOT NULL,
	"round" integer NOT NULL,
	"student_model" text NOT NULL,
	"plan_summary" jsonb,
	"planned_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "rounds_campaign_id_round_pk" PRIMARY KEY("campaign_id","round")
);
--> statement-breakpoint
CREATE TABLE "plan_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"round" integer NOT NULL,
	"item_id" integer NOT NULL,
	"repeat_index" integer NOT NULL,
	"category" text NOT NULL,
	"mfd" real NOT NULL,
	"stage" integer NOT NULL,
	"position" integer NOT NULL,
	"refine_status" text DEFAULT 'pending' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "llm_calls" (
	"id" serial PRIMARY KEY NOT NULL,
	"cache_key" text NOT NULL,
	"campaign_id" text,
	"item_id" integer,
	"role" text NOT NULL,
	"purpose" text NOT NULL,
	"provider" text NOT NULL,
	"base_url" text,
	"model" text NOT NULL,
	"params" jsonb NOT NULL,
	"prompt_version" text NOT NULL,
	"status" text NOT NULL,
	"response_text" text,
	"finish_reason" text,
	"latency_ms" integer,
	"input_tokens" integer,
	"output_tokens" integer,
	"cost_usd" double precision,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "import_errors" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"file" text NOT NULL,
	"line" integer NOT NULL,
	"message" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exports" (
	"id" serial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"round" integer NOT NULL,
	"format" text NOT NULL,
	"dir" text NOT NULL,
	"manifest" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "judgments" ADD CONSTRAINT "judgments_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_entries" ADD CONSTRAINT "plan_entries_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_errors" ADD CONSTRAINT "import_errors_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exports" ADD CONSTRAINT "exports_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "items_campaign_key_uq" ON "items" USING btree ("campaign_id","key");--> statement-breakpoint
CREATE INDEX "items_campaign_status_idx" ON "items" USING btree ("campaign_id","status");--> statement-breakpoint
CREATE INDEX "items_uncategorized_idx" ON "items" USING btree ("campaign_id") WHERE category is null and status <> 'failed';--> statement-breakpoint
CREATE UNIQUE INDEX "answers_item_kind_round_uq" ON "answers" USING btree ("item_id","kind","round");--> statement-breakpoint
CREATE INDEX "answers_campaign_kind_idx" ON "answers" USING btree ("campaign_id","kind","round");--> statement-breakpoint
CREATE UNIQUE INDEX "judgments_item_round_uq" ON "judgments" USING btree ("item_id","round");--> statement-breakpoint
CREATE INDEX "judgments_campaign_round_idx" ON "judgments" USING btree ("campaign_id","round");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_entries_uq" ON "plan_entries" USING btree ("campaign_id","round","item_id","repeat_index");--> statement-breakpoint
CREATE INDEX "plan_entries_stage_idx" ON "plan_entries" USING btree ("campaign_id","round","stage","position");--> statement-breakpoint
CREATE INDEX "plan_entries_refine_pending_idx" ON "plan_entries" USING btree ("campaign_id","round","item_id") WHERE refine_status = 'pending';--> statement-breakpoint
CREATE INDEX "llm_calls_cache_key_idx" ON "llm_calls" USING btree ("cache_key");--> statement-breakpoint
CREATE INDEX "llm_calls_campaign_role_idx" ON "llm_calls" USING btree ("campaign_id","role");--> statement-breakpoint
CREATE INDEX "import_errors_campaign_idx" ON "import_errors" USING btree ("campaign_id");