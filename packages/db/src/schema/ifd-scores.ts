import { index, integer, pgTable, real, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { items } from './items';

/**
 * The student's Instruction-Following Difficulty for one item in one round (Cherry LLM):
 * s(A|Q) and s(A) are mean negative log-likelihoods of the teacher's answer with and without the
 * instruction, read from the student's prompt log-probabilities; ifd = s(A|Q) / s(A).
 */
export const ifdScores = pgTable(
  'ifd_scores',
  {
    id: serial('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    conditionedNll: real('conditioned_nll').notNull(),
    unconditionedNll: real('unconditioned_nll').notNull(),
    ifd: real('ifd').notNull(),
    answerTokens: integer('answer_tokens').notNull(),
    studentModel: text('student_model').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ifd_scores_item_round_uq').on(t.itemId, t.round), index('ifd_scores_campaign_round_idx').on(t.campaignId, t.round)],
);
