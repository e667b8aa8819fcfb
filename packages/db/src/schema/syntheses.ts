import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { oneOf } from './one-of';

/** pending | accepted | rejected (a filter said no) | failed (the request failed for good) */
export const SYNTHESIS_STATUSES = ['pending', 'accepted', 'rejected', 'failed'] as const;
export type SynthesisStatus = (typeof SYNTHESIS_STATUSES)[number];

/**
 * One request to the teacher for a new instruction of a category with no seeds, seeded by a
 * topic, an audience and a form (phi-1.5's topic-seeded synthesis). The planner writes these
 * rows for the round; one synthesize job per (round, category) fills them in. (category, slot)
 * is unique per campaign so that every request is a new sample across passes and rounds.
 */
export const syntheses = pgTable(
  'syntheses',
  {
    id: serial('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    round: integer('round').notNull(),
    category: text('category').notNull(),
    slot: integer('slot').notNull(),
    topic: text('topic').notNull(),
    audience: text('audience').notNull(),
    form: text('form').notNull(),
    status: text('status', { enum: SYNTHESIS_STATUSES }).notNull().default('pending'),
    reason: text('reason'),
    /** The new item, when accepted. */
    itemId: integer('item_id'),
    llmCallId: integer('llm_call_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('syntheses_category_slot_uq').on(t.campaignId, t.category, t.slot),
    index('syntheses_round_status_idx').on(t.campaignId, t.round, t.status),
    index('syntheses_item_idx').on(t.itemId),
    check('syntheses_status_check', oneOf(t.status, SYNTHESIS_STATUSES)),
  ],
);
