import { index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { items } from './items';

/**
 * An answer to an item. kind: teacher | student | refined. Teacher and refined answers do not
 * depend on the student, so they carry round 0 and are reused by every round; student answers
 * carry the round whose student wrote them.
 */
export const answers = pgTable(
  'answers',
  {
    id: serial('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    round: integer('round').notNull(),
    text: text('text').notNull(),
    /** import | llm */
    source: text('source').notNull(),
    model: text('model'),
    promptVersion: text('prompt_version'),
    llmCallId: integer('llm_call_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('answers_item_kind_round_uq').on(t.itemId, t.kind, t.round),
    index('answers_campaign_kind_idx').on(t.campaignId, t.kind, t.round),
  ],
);
