ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_status_check" CHECK ("campaigns"."status" in ('created', 'running', 'planning', 'expanding', 'refining', 'completed', 'paused', 'cancelled', 'failed'));--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_status_check" CHECK ("items"."status" in ('pending', 'judged', 'failed'));--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_origin_check" CHECK ("items"."origin" in ('seed', 'expanded'));--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_category_source_check" CHECK ("items"."category_source" in ('data', 'classifier'));--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_kind_check" CHECK ("answers"."kind" in ('teacher', 'student', 'refined'));--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_source_check" CHECK ("answers"."source" in ('import', 'llm'));--> statement-breakpoint
ALTER TABLE "plan_entries" ADD CONSTRAINT "plan_entries_refine_status_check" CHECK ("plan_entries"."refine_status" in ('pending', 'done', 'failed'));--> statement-breakpoint
ALTER TABLE "llm_calls" ADD CONSTRAINT "llm_calls_status_check" CHECK ("llm_calls"."status" in ('pending', 'completed', 'failed', 'served'));--> statement-breakpoint
ALTER TABLE "expansions" ADD CONSTRAINT "expansions_status_check" CHECK ("expansions"."status" in ('pending', 'accepted', 'rejected', 'failed'));