import type { answers, expansions, ifdScores, items, judgments, llmCalls, planEntries } from '../schema';

/**
 * Row types of the hot tables as drizzle knows them: a statement's parameters and rows are
 * typed from these, so renaming a column's property or changing its type fails tsc in every
 * statement that reads or writes it (and test/statements.test.ts prepares every statement on
 * the migrated schema, so a renamed SQL column fails there).
 */
export type Item = typeof items.$inferSelect;
export type Answer = typeof answers.$inferSelect;
export type Judgment = typeof judgments.$inferSelect;
export type IfdScore = typeof ifdScores.$inferSelect;
export type PlanEntry = typeof planEntries.$inferSelect;
export type Expansion = typeof expansions.$inferSelect;
export type LlmCall = typeof llmCalls.$inferSelect;
