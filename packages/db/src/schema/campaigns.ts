import { bigint, check, doublePrecision, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { oneOf } from './one-of';

/**
 * Where a campaign is: created | running | planning | expanding (new instructions on their way)
 * | refining | completed (its current round) | paused (budget reached) | cancelled | failed.
 * Named "state" because @tapir/pipeline's CampaignStatus is the whole `tapir status` document.
 */
export const CAMPAIGN_STATES = ['created', 'running', 'planning', 'expanding', 'refining', 'completed', 'paused', 'cancelled', 'failed'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** One distillation campaign. `config` is the validated config; it names key variables, never keys. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    config: jsonb('config').notNull(),
    configHash: text('config_hash').notNull(),
    seed: integer('seed').notNull(),
    status: text('status', { enum: CAMPAIGN_STATES }).notNull().default('created'),
    currentRound: integer('current_round').notNull().default(1),
    /** Why the campaign stopped or waits, shown by `tapir status`. */
    message: text('message'),
    importSummary: jsonb('import_summary'),
    /** Spend limits (from the config, raised by `tapir resume --budget`); null = none. */
    budgetUsd: doublePrecision('budget_usd'),
    budgetTokens: bigint('budget_tokens', { mode: 'number' }),
    /** Paid so far, and reserved by requests in flight (their worst case), kept beside the limits so
     * that "would this request cross the budget?" is one conditional update. */
    spentUsd: doublePrecision('spent_usd').notNull().default(0),
    spentTokens: bigint('spent_tokens', { mode: 'number' }).notNull().default(0),
    reservedUsd: doublePrecision('reserved_usd').notNull().default(0),
    reservedTokens: bigint('reserved_tokens', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('campaigns_status_check', oneOf(t.status, CAMPAIGN_STATES))],
);
