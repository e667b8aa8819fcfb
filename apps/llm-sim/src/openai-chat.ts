import { parseSamplingParams } from './openai-sampling-params';
import { isOptionalInt, randomBase62, typeName, type ApiDialect, type CompletionResult } from './api-dialect';
import { flattenContent, invalid, isApiError, type ApiError, type ConversationTurn, type GenerationRequest } from './generation-request';
import { isRecord } from './options';
import type { RateLimitSnapshot } from './rate-limiter';
import { parseResponseFormat } from './structured-reply';

/** OpenAI Chat Completions wire format (also what vLLM, Ollama and most gateways speak). */

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

const STATUS: Record<ApiError['kind'], number> = {
  invalid_request: 400, authentication: 401, not_found: 404, too_large: 413, rate_limit: 429, server_error: 500, overloaded: 503,
};

export const openAiChat: ApiDialect = {
  provider: 'openai',
  requestIdHeader: 'x-request-id',
  newRequestId: () => `req_${randomBase62(32)}`,

  parseRequest(body: unknown): GenerationRequest | ApiError {
    if (!isRecord(body)) {
      return invalid("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)");
    }
    const { model, messages } = body;
    if (typeof model !== 'string' || model.length === 0) return invalid('you must provide a model parameter');
    if (messages === undefined) return invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
    if (!Array.isArray(messages)) return invalid(`Invalid type for 'messages': expected an array, but got ${typeName(messages)} instead.`, 'messages', 'invalid_type');
    if (messages.length === 0) return invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');

    const systemTexts: string[] = [];
    const turns: ConversationTurn[] = [];
    for (let i = 0; i < messages.length; i++) {
      const message: unknown = messages[i];
      if (!isRecord(message)) return invalid(`Invalid type for 'messages[${i}]': expected an object, but got ${typeName(message)} instead.`, `messages[${i}]`, 'invalid_type');
      const role = message.role;
      if (typeof role !== 'string' || !ROLES.includes(role)) {
        return invalid(`Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`, `messages[${i}].role`, 'invalid_value');
      }
      const text = flattenContent(message.content);
      // Assistant turns that only carry tool calls legitimately have null content.
      if (text === null && !(role === 'assistant' && (message.content === null || message.content === undefined))) {
        return invalid(`Missing required parameter: 'messages[${i}].content'.`, `messages[${i}].content`, 'missing_required_parameter');
      }
      if (role === 'system' || role === 'developer') systemTexts.push(text ?? '');
      else turns.push({ role: role === 'assistant' ? 'assistant' : 'user', text: text ?? '' });
    }

    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    const maxParam = body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
    if (!isOptionalInt(maxTokens, 1)) return invalid(`Invalid '${maxParam}': integer below minimum value. Expected a value >= 1, but got ${String(maxTokens)} instead.`, maxParam, 'integer_below_min_value');
    const temperature = body.temperature;
    if (temperature !== undefined && temperature !== null && (typeof temperature !== 'number' || temperature < 0 || temperature > 2)) {
      return invalid(`Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got ${String(temperature)} instead.`, 'temperature', 'decimal_above_max_value');
    }
    const sampling = parseSamplingParams(body);
    if (isApiError(sampling)) return sampling;
    const { n, stop } = sampling;
    const replyFormat = parseResponseFormat(body.response_format);
    if (isApiError(replyFormat)) return replyFormat;

    return {
      model,
      system: systemTexts.join('\n\n'),
      turns,
      maxTokens: (maxTokens ?? undefined) as number | undefined,
      temperature: (temperature ?? undefined) as number | undefined,
      seed: sampling.seed,
      stop,
      n,
      ...(replyFormat === undefined ? {} : { replyFormat }),
    };
  },

  contextExceeded(promptTokens: number, maxTokens: number | undefined, limit: number): ApiError {
    const message = maxTokens === undefined || promptTokens > limit
      ? `This model's maximum context length is ${limit} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`
      : `This model's maximum context length is ${limit} tokens. However, you requested ${promptTokens + maxTokens} tokens (${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`;
    return invalid(message, 'messages', 'context_length_exceeded');
  },

  renderResponse(req: GenerationRequest, result: CompletionResult): unknown {
    return {
      id: `chatcmpl-${randomBase62(29)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: req.model,
      choices: result.choices.map((choice, index) => ({
        index,
        // A structured request the model declines comes back as a refusal with no content.
        message: choice.refusal
          ? { role: 'assistant', content: null, refusal: choice.text, annotations: [] }
          : { role: 'assistant', content: choice.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: choice.finish === 'length' ? 'length' : 'stop',
      })),
      usage: {
        prompt_tokens: result.promptTokens,
        completion_tokens: result.completionTokens,
        total_tokens: result.promptTokens + result.completionTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_llmsim0',
    };
  },

  renderError(error: ApiError): { status: number; body: unknown } {
    const type = error.kind === 'rate_limit'
      ? (error.limitType ?? 'requests')
      : error.kind === 'server_error' || error.kind === 'overloaded' ? 'server_error' : 'invalid_request_error';
    return {
      status: STATUS[error.kind],
      body: { error: { message: error.message, type, param: error.param ?? null, code: error.code ?? null } },
    };
  },

  rateLimitHeaders(s: RateLimitSnapshot): Record<string, string> {
    const headers: Record<string, string> = {};
    if (s.limitRequests !== undefined) {
      headers['x-ratelimit-limit-requests'] = String(s.limitRequests);
      headers['x-ratelimit-remaining-requests'] = String(s.remainingRequests ?? 0);
      headers['x-ratelimit-reset-requests'] = openAiDuration(s.resetRequestsMs ?? 0);
    }
    if (s.limitTokens !== undefined) {
      headers['x-ratelimit-limit-tokens'] = String(s.limitTokens);
      headers['x-ratelimit-remaining-tokens'] = String(s.remainingTokens ?? 0);
      headers['x-ratelimit-reset-tokens'] = openAiDuration(s.resetTokensMs ?? 0);
    }
    return headers;
  },
};

/** OpenAI's reset headers read like "17ms", "6s" or "1m0s". */
function openAiDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.ceil(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}
