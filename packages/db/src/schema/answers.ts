import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { items } from './items';
import { oneOf } from './one-of';

export const ANSWER_KINDS = ['teacher', 'student', 'refined'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];
/** import (came with the pool) | llm (bought from a model) */
export const ANSWER_SOURCES = ['import', 'llm'] as const;
export type AnswerSource = (typeof ANSWER_SOURCES)[number];

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
    kind: text('kind', { enum: ANSWER_KINDS }).notNull(),
    round: integer('round').notNull(),
    text: text('text').notNull(),
    source: text('source', { enum: ANSWER_SOURCES }).notNull(),
    model: text('model'),
    promptVersion: text('prompt_version'),
    llmCallId: integer('llm_call_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('answers_item_kind_round_uq').on(t.itemId, t.kind, t.round),
    index('answers_campaign_kind_idx').on(t.campaignId, t.kind, t.round),
    check('answers_kind_check', oneOf(t.kind, ANSWER_KINDS)),
    check('answers_source_check', oneOf(t.source, ANSWER_SOURCES)),
  ],
);
