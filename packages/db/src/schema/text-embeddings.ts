import { customType, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Raw bytes; a float32 vector is stored as its little-endian bytes (4 per dimension). */
const bytes = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * Embeddings bought from an embeddings endpoint, one row per (model, normalised text): shared by
 * every campaign, like the ledger, so that a text embedded once is never paid for again. The
 * vector is bytea rather than real[] because it is read back whole, by the thousand, and bytea is
 * a quarter of real[]'s text form on the wire with no parsing. `call_id` is the ledger row that
 * paid for it (several texts share one batched request).
 */
export const textEmbeddings = pgTable(
  'text_embeddings',
  {
    model: text('model').notNull(),
    /** sha256 (hex) of the normalised text that was sent. */
    textHash: text('text_hash').notNull(),
    dimensions: integer('dimensions').notNull(),
    vector: bytes('vector').notNull(),
    callId: integer('call_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.model, t.textHash] }), index('text_embeddings_call_idx').on(t.callId)],
);
