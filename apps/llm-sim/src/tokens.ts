/**
 * Approximate token counting. Real tokenizers average roughly four characters per token on
 * English text; the simulator only needs counts that are plausible, deterministic and cheap, so
 * that `usage`, max_tokens truncation, context limits and TPM rate limits all agree.
 */

const CHARS_PER_TOKEN = 4;
/** Chat formats wrap each message in role markers; OpenAI documents ~4 tokens per message. */
const PER_MESSAGE_OVERHEAD = 4;
/** The assistant reply is primed with a few tokens of its own. */
const REPLY_PRIMING = 3;

export function countTextTokens(text: string): number {
  return tokensOfLength(text.length);
}

/** The tokens of a text of this many characters (countTextTokens without the text). */
export function tokensOfLength(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** Prompt tokens for a system text (may be empty) plus conversation turns. */
export function countPromptTokens(system: string, turns: ReadonlyArray<{ text: string }>): number {
  let total = REPLY_PRIMING;
  if (system.length > 0) total += PER_MESSAGE_OVERHEAD + countTextTokens(system);
  for (const turn of turns) total += PER_MESSAGE_OVERHEAD + countTextTokens(turn.text);
  return total;
}

/** Cuts text so that countTextTokens(result) <= maxTokens, never splitting a surrogate pair. */
export function truncateToTokens(text: string, maxTokens: number): { text: string; truncated: boolean } {
  const maxChars = Math.max(0, maxTokens) * CHARS_PER_TOKEN;
  if (text.length <= maxChars) return { text, truncated: false };
  let end = maxChars;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true };
}
