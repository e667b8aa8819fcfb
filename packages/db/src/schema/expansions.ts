import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { items } from './items';
import { oneOf } from './one-of';

/** pending | accepted | rejected (a filter said no) | failed (the request failed for good) */
export const EXPANSION_STATUSES = ['pending', 'accepted', 'rejected', 'failed'] as const;
export type ExpansionStatus = (typeof EXPANSION_STATUSES)[number];

/**
 * One request to the teacher for a new instruction like a hard seed (docs/method.md, step 8). The
 * planner writes these rows when a category is short of its target; the expand job fills in the
 * outcome. (seed, slot) is unique per campaign so that every request is a new one: slots keep
 * counting across passes and rounds.
 */
export const expansions = pgTable(
  'expansions',
  {
    id: serial('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    round: integer('round').notNull(),
    pass: integer('pass').notNull(),
    seedItemId: integer('seed_item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    slot: integer('slot').notNull(),
    /** The category the seed was in, which the new instruction should fill. */
    category: text('category').notNull(),
    status: text('status', { enum: EXPANSION_STATUSES }).notNull().default('pending'),
    reason: text('reason'),
    /** The new item, when accepted. */
    itemId: integer('item_id'),
    llmCallId: integer('llm_call_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('expansions_seed_slot_uq').on(t.campaignId, t.seedItemId, t.slot),
    index('expansions_round_status_idx').on(t.campaignId, t.round, t.status),
    check('expansions_status_check', oneOf(t.status, EXPANSION_STATUSES)),
  ],
);
