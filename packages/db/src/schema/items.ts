import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { oneOf } from './one-of';

/** pending (on its way to a judgement) | judged | failed */
export const ITEM_STATUSES = ['pending', 'judged', 'failed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
/** seed (imported) | expanded (written by the teacher like a hard seed) | synthesized (written by the teacher from a topic) */
export const ITEM_ORIGINS = ['seed', 'expanded', 'synthesized'] as const;
export type ItemOrigin = (typeof ITEM_ORIGINS)[number];
/** data (came with the pool) | classifier (labelled by the judge model) */
export const CATEGORY_SOURCES = ['data', 'classifier'] as const;
export type CategorySource = (typeof CATEGORY_SOURCES)[number];
/** The clean step's verdict (issue 15): null until cleaned; a dropped item is also `failed`, with no fail_step. */
export const CLEAN_VERDICTS = ['kept', 'dropped'] as const;
export type CleanVerdict = (typeof CLEAN_VERDICTS)[number];

/**
 * One instruction of a campaign's pool. `key` is the normalised identity (instructionKey), unique
 * per campaign, so re-importing or duplicate rows never create a second item.
 */
export const items = pgTable(
  'items',
  {
    id: serial('id').primaryKey(),
    // No foreign key to campaigns: its per-row check was about 30% of PostgreSQL's time when
    // importing a large pool. Items are written only in the transaction that creates their
    // campaign (import) or by a job of that campaign (expansion); see docs/decisions.md.
    campaignId: text('campaign_id').notNull(),
    seq: integer('seq').notNull(),
    key: text('key').notNull(),
    instruction: text('instruction').notNull(),
    input: text('input').notNull().default(''),
    category: text('category'),
    categorySource: text('category_source', { enum: CATEGORY_SOURCES }),
    origin: text('origin', { enum: ITEM_ORIGINS }).notNull().default('seed'),
    seedItemId: integer('seed_item_id'),
    // Where an imported item came from: the source entry's name, the shard (index into the
    // source's files in the campaign's import summary; null for a single-file source) and the
    // line (text formats) or row (Parquet). Expanded items have none: their seed has.
    source: text('source'),
    sourceShard: integer('source_shard'),
    sourceLine: integer('source_line'),
    duplicateCount: integer('duplicate_count').notNull().default(0),
    /** The conversation's system prompt, given to teacher and student and shown to the judge; null when it had none. */
    system: text('system'),
    /** User turns after the first exchange (import.turns: all); the teacher answers them in context at refinement. */
    followUps: jsonb('follow_ups').$type<string[]>(),
    // Sources of the exact duplicates that collapsed into this item, in config order (null: none).
    duplicateSources: text('duplicate_sources').array(),
    status: text('status', { enum: ITEM_STATUSES }).notNull().default('pending'),
    failStep: text('fail_step'),
    failReason: text('fail_reason'),
    cleanVerdict: text('clean_verdict', { enum: CLEAN_VERDICTS }),
    // A CleanReason of @tapir/clean, and its CleanEvidence (rule, score, twin item, benchmark question).
    cleanReason: text('clean_reason'),
    cleanEvidence: jsonb('clean_evidence'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('items_campaign_key_uq').on(t.campaignId, t.key),
    index('items_campaign_status_idx').on(t.campaignId, t.status),
    // The planner's barrier asks "is any item still unlabelled?" after every label; a partial
    // index makes that one probe instead of a scan.
    index('items_uncategorized_idx').on(t.campaignId).where(sql`category is null and status <> 'failed'`),
    // The clean step's "anything left to clean?" and the steps after it wait on this.
    index('items_uncleaned_idx').on(t.campaignId).where(sql`clean_verdict is null and status <> 'failed'`),
    check('items_status_check', oneOf(t.status, ITEM_STATUSES)),
    check('items_clean_verdict_check', oneOf(t.cleanVerdict, CLEAN_VERDICTS)),
    check('items_origin_check', oneOf(t.origin, ITEM_ORIGINS)),
    check('items_category_source_check', oneOf(t.categorySource, CATEGORY_SOURCES)),
  ],
);
