import type { ModelProfile } from './options';

/** How much one round of fine-tuning lifts the simulated student on a category it was taught. */
export const DEFAULT_TRAINING_GAIN = 2.5;

/**
 * The simulator's stand-in for fine-tuning a student on a round's export: the same model, better
 * by `gain` quality points on every category the export taught, unchanged elsewhere. Register
 * the result under a new model name (configure({ models })) and give that name to
 * `tapir round next --student-model`.
 */
export function fineTunedProfile(previous: ModelProfile, taughtCategories: Iterable<string>, gain = DEFAULT_TRAINING_GAIN): ModelProfile {
  const categoryDelta = { ...(previous.categoryDelta ?? {}) };
  for (const category of taughtCategories) categoryDelta[category] = (categoryDelta[category] ?? 0) + gain;
  return { ...previous, categoryDelta };
}
