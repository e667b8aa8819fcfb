import { index, integer, pgTable, real, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { items } from './items';

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
    mfd: real('mfd').notNull(),
    stage: integer('stage').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    uniqueIndex('plan_entries_uq').on(t.campaignId, t.round, t.itemId, t.repeatIndex),
    index('plan_entries_stage_idx').on(t.campaignId, t.round, t.stage, t.position),
  ],
);
