import { parseAlpacaPrompt } from './alpaca-prompt';
import type { CompletionResult, GeneratedChoice, ReplyGenerator } from './api-dialect';
import type { GenerationRequest } from './generation-request';
import { createPrng, hashParts, pick } from './hashing';
import { scorePrompt, scoreSampled, type ScoredToken } from './logprob-model';
import { contentWords } from './text-features';
import { tokenizeWords } from './word-tokenizer';

/** A legacy /v1/completions request: one text prompt to continue, optionally scored. */
export interface TextCompletionRequest extends GenerationRequest {
  prompt: string;
  /** Defaults to 16 as in OpenAI's API; 0 is allowed (score the prompt, generate nothing). */
  maxTokens: number;
  echo: boolean;
  /** OpenAI `logprobs`: how many alternatives per position (0..5), or null for none. */
  logprobs: number | null;
  /** vLLM's extra `prompt_logprobs`: the same for prompt tokens, in vLLM's shape. */
  promptLogprobs: number | null;
}

export interface TextChoice extends GeneratedChoice {
  /** The generated tokens with their log-probabilities; they concatenate to `text`. */
  tokens: ScoredToken[];
}

export interface TextCompletionResult extends CompletionResult {
  choices: TextChoice[];
  /** Every prompt token with its log-probability (the first null), shared by all choices. */
  prompt: ScoredToken[];
}

/** A few words of continuation; what is scored (the prompt) matters here, not what is written. */
const CONTINUATIONS = [
  'The answer depends on {t}.',
  'Here is a short note about {t}.',
  'More details about {t} follow.',
  'In short, {t} matters most here.',
  'This continues the text on {t}.',
];

/**
 * /v1/completions: prompts are counted in word tokens (as the log-probabilities are), the reply is
 * a short deterministic continuation, and prompt tokens are scored by the log-probability model.
 */
export const textCompletionGenerator: ReplyGenerator<TextCompletionRequest, TextCompletionResult> = {
  promptTokens: (req) => tokenizeWords(req.prompt).length,

  generate(req, ctx): TextCompletionResult {
    const prompt = scorePrompt(ctx.profile, req.model, req.prompt);
    const choices: TextChoice[] = [];
    let completionTokens = 0;
    for (let variant = 0; variant < req.n; variant++) {
      const choice = continueText(req, ctx.seed, variant, prompt.length);
      completionTokens += choice.tokens.length;
      choices.push(choice);
    }
    const kind = req.logprobs !== null || req.promptLogprobs !== null ? 'logprobs' : 'completion';
    return { choices, prompt, promptTokens: ctx.promptTokens, completionTokens, kind };
  },
};

function continueText(req: TextCompletionRequest, seed: number, variant: number, promptLength: number): TextChoice {
  const random = createPrng(hashParts('continuation', req.model, req.prompt, seed, req.seed, req.temperature, variant));
  const subject = parseAlpacaPrompt(req.prompt)?.instruction ?? req.prompt;
  const topics = contentWords(subject, 8);
  const sentence = pick(CONTINUATIONS, random).replace('{t}', topics.length > 0 ? pick(topics, random) : 'the topic');
  // Continue mid-line with a space; after whitespace (or nothing) start the word directly.
  const natural = req.prompt.length === 0 || /\s$/.test(req.prompt) ? sentence : ` ${sentence}`;

  let text = natural;
  let stopSequence: string | null = null;
  for (const sequence of req.stop) {
    const at = text.indexOf(sequence);
    if (at >= 0) {
      text = text.slice(0, at);
      stopSequence = sequence;
    }
  }
  let tokens = tokenizeWords(text);
  let finish: GeneratedChoice['finish'] = stopSequence === null ? 'stop' : 'stop_sequence';
  if (tokens.length > req.maxTokens) {
    tokens = tokens.slice(0, req.maxTokens);
    finish = 'length';
    stopSequence = null;
  }
  return { text: tokens.join(''), finish, stopSequence, tokens: scoreSampled(req.model, tokens, promptLength) };
}
