import { parseSamplingParams } from './openai-sampling-params';
import { isOptionalInt, randomBase62, typeName, type ApiDialect } from './api-dialect';
import { invalid, isApiError, type ApiError } from './generation-request';
import { alternativeTokens, type ScoredToken } from './logprob-model';
import { openAiChat } from './openai-chat';
import { isRecord } from './options';
import type { TextCompletionRequest, TextCompletionResult } from './text-completion';
import { tokenId } from './word-tokenizer';

/**
 * OpenAI's legacy Completions wire format (POST /v1/completions) as vLLM serves it, including
 * vLLM's `prompt_logprobs` extra. Errors, ids and rate-limit headers are the chat endpoint's.
 */

const DEFAULT_MAX_TOKENS = 16;
/** OpenAI caps `logprobs` at 5. */
const MAX_LOGPROBS = 5;
/** vLLM's default --max-logprobs. */
const MAX_PROMPT_LOGPROBS = 20;

export const openAiCompletions: ApiDialect<TextCompletionRequest, TextCompletionResult> = {
  provider: openAiChat.provider,
  requestIdHeader: openAiChat.requestIdHeader,
  newRequestId: openAiChat.newRequestId,
  renderError: openAiChat.renderError,
  rateLimitHeaders: openAiChat.rateLimitHeaders,

  parseRequest(body: unknown): TextCompletionRequest | ApiError {
    if (!isRecord(body)) return invalid("We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.");
    const { model, prompt } = body;
    if (typeof model !== 'string' || model.length === 0) return invalid('you must provide a model parameter');
    if (prompt === undefined || prompt === null) return invalid("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
    let text: string;
    if (typeof prompt === 'string') {
      text = prompt;
    } else if (Array.isArray(prompt)) {
      // OpenAI batches several prompts per request; the simulator serves one, as tapir sends.
      if (prompt.length !== 1) return invalid(`Invalid 'prompt': llm-sim serves exactly one prompt per request, but got an array of ${prompt.length}.`, 'prompt', 'invalid_value');
      const only: unknown = prompt[0];
      if (typeof only !== 'string') return invalid(`Invalid 'prompt': llm-sim accepts text prompts only, but got ${typeName(only)} (token ids are not supported).`, 'prompt', 'invalid_type');
      text = only;
    } else {
      return invalid(`Invalid type for 'prompt': expected a string or an array of strings, but got ${typeName(prompt)} instead.`, 'prompt', 'invalid_type');
    }

    const maxTokens = body.max_tokens ?? DEFAULT_MAX_TOKENS;
    if (!isOptionalInt(maxTokens, 0)) return invalid(`Invalid 'max_tokens': integer below minimum value. Expected a value >= 0, but got ${String(maxTokens)} instead.`, 'max_tokens', 'integer_below_min_value');
    const temperature = body.temperature;
    if (temperature !== undefined && temperature !== null && (typeof temperature !== 'number' || temperature < 0 || temperature > 2)) {
      return invalid(`Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got ${String(temperature)} instead.`, 'temperature', 'decimal_above_max_value');
    }
    const echo = body.echo ?? false;
    if (typeof echo !== 'boolean') return invalid(`Invalid type for 'echo': expected a boolean, but got ${typeName(echo)} instead.`, 'echo', 'invalid_type');
    const logprobs = body.logprobs ?? null;
    if (logprobs !== null) {
      if (!Number.isInteger(logprobs)) return invalid(`Invalid type for 'logprobs': expected an integer, but got ${typeName(logprobs)} instead.`, 'logprobs', 'invalid_type');
      if ((logprobs as number) < 0) return invalid(`Invalid 'logprobs': integer below minimum value. Expected a value >= 0, but got ${String(logprobs)} instead.`, 'logprobs', 'integer_below_min_value');
      if ((logprobs as number) > MAX_LOGPROBS) return invalid(`Invalid 'logprobs': integer above maximum value. Expected a value <= ${MAX_LOGPROBS}, but got ${String(logprobs)} instead.`, 'logprobs', 'integer_above_max_value');
    }
    const promptLogprobs = body.prompt_logprobs ?? null;
    if (promptLogprobs !== null && (!Number.isInteger(promptLogprobs) || (promptLogprobs as number) < 0 || (promptLogprobs as number) > MAX_PROMPT_LOGPROBS)) {
      return invalid(`Invalid 'prompt_logprobs': expected an integer from 0 to ${MAX_PROMPT_LOGPROBS}, but got ${String(promptLogprobs)}.`, 'prompt_logprobs', 'invalid_value');
    }
    const sampling = parseSamplingParams(body);
    if (isApiError(sampling)) return sampling;
    const { n, stop } = sampling;

    return {
      model,
      system: '',
      turns: [{ role: 'user', text }],
      prompt: text,
      maxTokens: maxTokens as number,
      temperature: (temperature ?? undefined) as number | undefined,
      seed: sampling.seed,
      stop,
      n,
      echo,
      logprobs: logprobs as number | null,
      promptLogprobs: promptLogprobs as number | null,
    };
  },

  contextExceeded(promptTokens: number, maxTokens: number | undefined, limit: number): ApiError {
    const message = maxTokens === undefined || promptTokens > limit
      ? `This model's maximum context length is ${limit} tokens, however you requested ${promptTokens} tokens in your prompt. Please reduce your prompt.`
      : `This model's maximum context length is ${limit} tokens, however you requested ${promptTokens + maxTokens} tokens (${promptTokens} in your prompt; ${maxTokens} for the completion). Please reduce your prompt; or completion length.`;
    return invalid(message, 'prompt', 'context_length_exceeded');
  },

  renderResponse(req: TextCompletionRequest, result: TextCompletionResult): unknown {
    return {
      id: `cmpl-${randomBase62(29)}`,
      object: 'text_completion',
      created: Math.floor(Date.now() / 1000),
      model: req.model,
      choices: result.choices.map((choice, index) => {
        // With echo the choice's text, tokens and offsets cover the prompt, then the continuation.
        const tokens = req.echo ? [...result.prompt, ...choice.tokens] : choice.tokens;
        const firstPosition = req.echo ? 0 : result.prompt.length;
        return {
          index,
          text: req.echo ? req.prompt + choice.text : choice.text,
          logprobs: req.logprobs === null ? null : renderLogprobs(req.model, tokens, firstPosition, req.logprobs),
          finish_reason: choice.finish === 'length' ? 'length' : 'stop',
          stop_reason: choice.stopSequence,
          ...(req.promptLogprobs === null ? {} : { prompt_logprobs: renderPromptLogprobs(req.model, result.prompt, req.promptLogprobs) }),
        };
      }),
      usage: {
        prompt_tokens: result.promptTokens,
        completion_tokens: result.completionTokens,
        total_tokens: result.promptTokens + result.completionTokens,
      },
    };
  },
};

/** OpenAI's shape: parallel arrays; top_logprobs holds the actual token plus up to k - 1 runners-up. */
function renderLogprobs(model: string, tokens: readonly ScoredToken[], firstPosition: number, k: number): unknown {
  const textOffset: number[] = [];
  let offset = 0;
  for (const token of tokens) {
    textOffset.push(offset);
    offset += token.text.length;
  }
  return {
    tokens: tokens.map((t) => t.text),
    token_logprobs: tokens.map((t) => t.logprob),
    top_logprobs: tokens.map((t, i) => {
      if (t.logprob === null) return null;
      const top: Record<string, number> = { [t.text]: t.logprob };
      for (const alt of alternativeTokens(model, t.text, firstPosition + i, t.logprob, k - 1)) top[alt.text] = alt.logprob;
      return top;
    }),
    text_offset: textOffset,
  };
}

/**
 * vLLM's shape: one entry per prompt token, the first null, each a dict keyed by token id with the
 * actual token first (rank 1) and up to k - 1 runners-up.
 */
function renderPromptLogprobs(model: string, prompt: readonly ScoredToken[], k: number): unknown {
  return prompt.map((t, position) => {
    if (t.logprob === null) return null;
    const entry: Record<string, { logprob: number; rank: number; decoded_token: string }> = {
      [String(tokenId(t.text))]: { logprob: t.logprob, rank: 1, decoded_token: t.text },
    };
    alternativeTokens(model, t.text, position, t.logprob, k - 1).forEach((alt, j) => {
      entry[String(alt.id)] = { logprob: alt.logprob, rank: j + 2, decoded_token: alt.text };
    });
    return entry;
  });
}
