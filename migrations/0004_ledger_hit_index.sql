DROP INDEX "llm_calls_cache_key_idx";--> statement-breakpoint
CREATE INDEX "llm_calls_cache_key_id_idx" ON "llm_calls" USING btree ("cache_key","id");