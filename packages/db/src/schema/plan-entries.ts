import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, real, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { items } from './items';
import { oneOf } from './one-of';

/** pending | done | failed: whether the item's refined answer exists. */
export const REFINE_STATUSES = ['pending', 'done', 'failed'] as const;
export type RefineStatus = (typeof REFINE_STATUSES)[number];

/**
 * One row of a round's curriculum. An up-sampled item appears once per repeat (repeat_index 0,
 * 1, ...), so the rows of a round are exactly the rows that will be exported.
 */
export const planEntries = pgTable(
  'plan_entries',
  {
    id: serial('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    round: integer('round').notNull(),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    repeatIndex: integer('repeat_index').notNull(),
    category: text('category').notNull(),
    /** The signals the item was judged by this round (null when the campaign does not use one). */
    mfd: real('mfd'),
    ifd: real('ifd'),
    /** The value stages are ordered by (MFD, or IFD when it is the only signal), and whether it counted as hard. */
    difficulty: real('difficulty').notNull().default(0),
    hard: boolean('hard').notNull().default(true),
    stage: integer('stage').notNull(),
    position: integer('position').notNull(),
    /** Kept here so that the "is the round finished" check is one index probe, not a scan. */
    refineStatus: text('refine_status', { enum: REFINE_STATUSES }).notNull().default('pending'),
  },
  (t) => [
    uniqueIndex('plan_entries_uq').on(t.campaignId, t.round, t.itemId, t.repeatIndex),
    index('plan_entries_stage_idx').on(t.campaignId, t.round, t.stage, t.position),
    index('plan_entries_refine_pending_idx').on(t.campaignId, t.round, t.itemId).where(sql`refine_status = 'pending'`),
    check('plan_entries_refine_status_check', oneOf(t.refineStatus, REFINE_STATUSES)),
  ],
);
