import type { PlanSummary } from '@tapir/core';
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns';

/** Per round: which student was measured, and the planner's summary once it has run. */
export const rounds = pgTable(
  'rounds',
  {
    campaignId: text('campaign_id').notNull().references(() => campaigns.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    studentModel: text('student_model').notNull(),
    /** The checkpoint's server when it differs from the config's (a re-trained student served elsewhere). */
    studentBaseUrl: text('student_base_url'),
    /** Expansion passes already started this round; the planner stops expanding at expansion.maxPasses. */
    expansionPasses: integer('expansion_passes').notNull().default(0),
    planSummary: jsonb('plan_summary').$type<PlanSummary>(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    plannedAt: timestamp('planned_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.round] })],
);
