import { index, integer, jsonb, pgTable, real, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { items } from './items';

/** The referee's verdict on one item in one round: both orders, raw replies kept. */
export const judgments = pgTable(
  'judgments',
  {
    id: serial('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    itemId: integer('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    teacherScore: real('teacher_score').notNull(),
    studentScore: real('student_score').notNull(),
    mfd: real('mfd').notNull(),
    /** { forward: {scores, replies, callIds}, swapped: {scores, replies, callIds} }: scores in the order the judge
     * saw the answers (forward: teacher first), every raw reply, and each reply's ledger row (callIds: not kept
     * before 2026-12-04). */
    detail: jsonb('detail').notNull(),
    judgeModel: text('judge_model').notNull(),
    promptVersion: text('prompt_version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('judgments_item_round_uq').on(t.itemId, t.round),
    index('judgments_campaign_round_idx').on(t.campaignId, t.round),
  ],
);
