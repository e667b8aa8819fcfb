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
CREATE INDEX "text_embeddings_call_idx" ON "text_embeddings" USING btree ("call_id");