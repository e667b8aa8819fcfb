import type { ChatMessage } from '@tapir/core';
import { openAiEncodingFor, type OpenAiEncoding } from './openai-encoding';
import { scriptAwareTokenEstimate } from './script-token-estimate';

/**
 * Longest text given to the real tokenizer. js-tiktoken's BPE is quadratic in the length of a
 * pre-token, and CJK text has long ones: measured 17,100 Chinese characters in 660 ms, against
 * 30,000 English characters in 13 ms. Past this length the script-aware estimate (which leans
 * high) is used, so that no request waits seconds to be counted.
 */
export const MAX_TOKENIZED_CHARS = 4000;

/** Per message (role and separators) and once for the reply's start, as OpenAI's chat format adds. */
const PER_MESSAGE_TOKENS = 4;
const REPLY_PRIMING_TOKENS = 3;

/** The part of js-tiktoken's Tiktoken used here (its type declarations are ESM-only, tapir is CommonJS). */
interface Encoder {
  encode(text: string, allowedSpecial: string[], disallowedSpecial: string[]): number[];
}
type EncoderClass = new (ranks: unknown) => Encoder;

const encoders = new Map<OpenAiEncoding, Encoder>();

/**
 * Loaded on first use, one encoding at a time: measured 2 to 4.5 s and ~100 MB each on the
 * shared test machine, which campaigns of Anthropic or simulator models never pay.
 */
function encoder(encoding: OpenAiEncoding): Encoder {
  let found = encoders.get(encoding);
  if (!found) {
    // require, not import: loaded on first use on purpose, and only the encoding asked for.
    const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: EncoderClass };
    const ranks: unknown = encoding === 'o200k_base' ? require('js-tiktoken/ranks/o200k_base') : require('js-tiktoken/ranks/cl100k_base');
    found = new Tiktoken(ranks);
    encoders.set(encoding, found);
  }
  return found;
}

/** How a text's tokens were counted, for tests and logs. */
export type TokenCountMethod = 'tokenizer' | 'script-estimate';

export function countTextTokens(text: string, model: string): { tokens: number; method: TokenCountMethod } {
  const encoding = openAiEncodingFor(model);
  if (encoding && text.length <= MAX_TOKENIZED_CHARS) {
    // Special-token text such as "<|endoftext|>" in an instruction is counted as plain text, as the API does.
    return { tokens: encoder(encoding).encode(text, [], []).length, method: 'tokenizer' };
  }
  return { tokens: scriptAwareTokenEstimate(text), method: 'script-estimate' };
}

/** Prompt tokens of a chat request to `model`: its tokenizer where tapir has it, the script-aware estimate otherwise. */
export function estimatePromptTokens(messages: readonly ChatMessage[], model: string): number {
  let tokens = REPLY_PRIMING_TOKENS;
  for (const message of messages) tokens += countTextTokens(message.content, model).tokens + PER_MESSAGE_TOKENS;
  return tokens;
}
