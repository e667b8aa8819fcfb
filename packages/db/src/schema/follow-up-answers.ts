import { index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { items } from './items';

/**
 * The teacher's reply to a follow-up user turn of a multi-turn item (import.turns: all), written
 * at refinement with the conversation so far as history. `turn` is the follow-up's index (1 for
 * the first user turn after the first exchange). Round-independent, like refined answers.
 */
export const followUpAnswers = pgTable(
  'follow_up_answers',
  {
    id: serial('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    turn: integer('turn').notNull(),
    text: text('text').notNull(),
    model: text('model'),
    promptVersion: text('prompt_version'),
    llmCallId: integer('llm_call_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('follow_up_answers_item_turn_uq').on(t.itemId, t.turn), index('follow_up_answers_campaign_idx').on(t.campaignId)],
);
