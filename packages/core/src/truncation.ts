/**
 * An answer cut off at its token limit is not an answer: as training data it teaches the student
 * to stop mid-sentence, and a referee shown it as complete scores the cut, not the model. What a
 * cut is, how large the one re-ask's budget is, and how the failure is named, in one place.
 */

/** The default `models.*.maxTokensRetry`: a cut answer is asked again once with twice the budget. */
export const DEFAULT_MAX_TOKENS_RETRY = 2;

/** The failure reason's first word, which status, the manifest and `retry-failed` look for. */
export const TRUNCATED = 'truncated';

/**
 * Whether a reply stopped at its token limit. The providers normalise to OpenAI's `length`;
 * Anthropic's own `max_tokens` is accepted too, for ledger rows a provider stored unnormalised.
 */
export function isCutOff(finishReason: string | null | undefined): boolean {
  return finishReason !== null && finishReason !== undefined && CUT_OFF_FINISH_REASONS.includes(finishReason);
}

/** The finish reasons that mean "cut off at the token limit" (for SQL over the ledger: `= any($n)`). */
export const CUT_OFF_FINISH_REASONS: readonly string[] = ['length', 'max_tokens'];

/**
 * The budget of the one re-ask: `maxTokens` times the multiplier, rounded up, or null when that
 * is no larger (a multiplier of 1 turns the re-ask off: a cut answer is dropped at once).
 */
export function retryMaxTokens(maxTokens: number, multiplier: number): number | null {
  const budget = Math.ceil(maxTokens * multiplier);
  return budget > maxTokens ? budget : null;
}

/** The failure reason of an answer still cut after every budget it was given, e.g. "truncated: cut off at max_tokens 1024, then 2048". */
export function truncatedReason(budgets: readonly number[]): string {
  return `${TRUNCATED}: cut off at max_tokens ${budgets.join(', then ')}`;
}

/** Whether a stored failure reason says the answer was cut off (see truncatedReason). */
export function isTruncatedReason(reason: string | null | undefined): boolean {
  return (reason ?? '').startsWith(`${TRUNCATED}:`);
}

/** The same test in SQL: `fail_reason like TRUNCATED_REASON_LIKE`. */
export const TRUNCATED_REASON_LIKE = `${TRUNCATED}:%`;

/** What the referee sees after an answer that was cut off (prompts/judge.ts says what it means). */
export const CUT_OFF_NOTE = '[the answer was cut off at the length limit]';

/** An answer as the referee is shown it: a cut one ends with the note, on a line of its own. */
export function answerForReferee(text: string, cutOff: boolean): string {
  return cutOff ? `${text}\n${CUT_OFF_NOTE}` : text;
}
