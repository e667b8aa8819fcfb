import { hashString } from './hashing';

/**
 * The word-level tokenizer behind /v1/completions. Unlike the chat endpoints' chars/4 estimate,
 * log-probabilities need real token boundaries: the tokens concatenate back to the exact text, so
 * text_offset is exact. A newline is always a token of its own (as in Llama's and GPT's
 * vocabularies), so a prompt prefix that ends with a newline (the Alpaca template does) ends on a
 * token boundary and the answer after it tokenizes exactly as it does alone. Spaces and tabs lead
 * the word they precede (" word"); whitespace before a newline or at the end is a token too.
 * Han, kana and Hangul characters are a token each (real vocabularies hold about one per
 * character), so a Chinese answer is not one token.
 */
const TOKEN = /\n|[^\S\n]*(?:[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+)|[^\S\n]+/gu;

export function tokenizeWords(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * Frequent tokens, offered as the runner-up alternatives in top_logprobs / prompt_logprobs. Their
 * ids sit above every hashed id, so in vLLM's prompt_logprobs dicts (keyed by token id, which
 * JSON.parse orders numerically) the actual token still comes first.
 */
export const COMMON_TOKENS: readonly string[] = [
  ' the', ',', ' of', ' and', '.', ' to', ' a', ' in', ' is', ' that', ' for', ' it', ' with', ' as', ' on',
  ' this', ' be', ' are', ' by', ' or', ' an', ' not', ' at', ' from', ' but', ' which', ' can', ' we', ' more', ' all',
];
const COMMON_ID_BASE = 31_000;
const HASHED_ID_BASE = 100;
const HASHED_ID_RANGE = COMMON_ID_BASE - HASHED_ID_BASE;
const COMMON_IDS = new Map(COMMON_TOKENS.map((token, i) => [token, COMMON_ID_BASE + i]));

/** A stable id per token text, like a vocabulary index (vLLM keys prompt_logprobs by it). */
export function tokenId(token: string): number {
  return COMMON_IDS.get(token) ?? HASHED_ID_BASE + (hashString(token) % HASHED_ID_RANGE);
}
