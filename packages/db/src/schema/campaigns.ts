import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** One distillation campaign. `config` is the validated config; it names key variables, never keys. */
export const campaigns = pgTable('campaigns', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  config: jsonb('config').notNull(),
  configHash: text('config_hash').notNull(),
  seed: integer('seed').notNull(),
  /** created | running | planning | refining | completed | cancelled | failed */
  status: text('status').notNull().default('created'),
  currentRound: integer('current_round').notNull().default(1),
  /** Why the campaign stopped or waits, shown by `tapir status`. */
  message: text('message'),
  importSummary: jsonb('import_summary'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
