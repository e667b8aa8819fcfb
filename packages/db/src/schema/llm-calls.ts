import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { oneOf } from './one-of';

/** pending (on the wire, no answer yet) | completed | failed | served (answered from the ledger
 * row served_from_call_id, nothing paid) | abandoned (was on the wire when its worker stopped
 * renewing the lease: the provider may have answered, and billed, without anyone recording it) */
export const LLM_CALL_STATUSES = ['pending', 'completed', 'failed', 'served', 'abandoned'] as const;
export type LlmCallStatus = (typeof LLM_CALL_STATUSES)[number];

/**
 * The ledger: one row per distinct LLM request, written before it is sent and completed when
 * the answer arrives. `cache_key` covers everything that changes the answer; a completed row
 * answers any later identical request without paying again.
 */
export const llmCalls = pgTable(
  'llm_calls',
  {
    id: serial('id').primaryKey(),
    cacheKey: text('cache_key').notNull(),
    campaignId: text('campaign_id'),
    itemId: integer('item_id'),
    role: text('role').notNull(),
    purpose: text('purpose').notNull(),
    provider: text('provider').notNull(),
    baseUrl: text('base_url'),
    model: text('model').notNull(),
    params: jsonb('params').notNull(),
    promptVersion: text('prompt_version').notNull(),
    status: text('status', { enum: LLM_CALL_STATUSES }).notNull(),
    responseText: text('response_text'),
    finishReason: text('finish_reason'),
    latencyMs: integer('latency_ms'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    costUsd: doublePrecision('cost_usd'),
    error: text('error'),
    servedFromCallId: integer('served_from_call_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the request went on the wire (after its rate limit, budget and concurrency slot). */
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** The process that sent it (host:pid), renewing `lease_expires_at` while it waits for the answer. */
    leaseOwner: text('lease_owner'),
    /** A pending row past this is taken over (closed as `abandoned`) by whoever needs its key next. */
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    // (cache_key, id): a ledger hit is the first completed row of its key, one index range read
    // whatever the table's statistics say (a campaign grows this table faster than ANALYZE runs).
    index('llm_calls_cache_key_id_idx').on(t.cacheKey, t.id),
    index('llm_calls_campaign_role_idx').on(t.campaignId, t.role),
    // Single flight: at most one request per key on the wire, enforced by PostgreSQL so that two
    // processes claiming the same key at once cannot both win (the ledger's claim is an
    // INSERT ... ON CONFLICT DO NOTHING against it).
    uniqueIndex('llm_calls_in_flight_key_uq').on(t.cacheKey).where(sql`status = 'pending'`),
    check('llm_calls_status_check', oneOf(t.status, LLM_CALL_STATUSES)),
  ],
);
