import { isOptionalInt, randomBase62, type ApiDialect, type CompletionResult } from './api-dialect';
import { flattenContent, invalid, isApiError, type ApiError, type ConversationTurn, type GenerationRequest } from './generation-request';
import { parseForcedTool } from './structured-reply';
import { isRecord } from './options';
import type { RateLimitSnapshot } from './rate-limiter';

/** Anthropic Messages API wire format. */

const ERRORS: Record<ApiError['kind'], { status: number; type: string }> = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  authentication: { status: 401, type: 'authentication_error' },
  not_found: { status: 404, type: 'not_found_error' },
  too_large: { status: 413, type: 'request_too_large' },
  rate_limit: { status: 429, type: 'rate_limit_error' },
  server_error: { status: 500, type: 'api_error' },
  overloaded: { status: 529, type: 'overloaded_error' },
};

export const anthropicMessages: ApiDialect = {
  provider: 'anthropic',
  requestIdHeader: 'request-id',
  newRequestId: () => `req_011${randomBase62(21)}`,

  parseRequest(body: unknown): GenerationRequest | ApiError {
    if (!isRecord(body)) return invalid('There was an issue with your request body: expected a JSON object.');
    const { model, messages, max_tokens: maxTokens, system, temperature } = body;
    if (typeof model !== 'string' || model.length === 0) return invalid('model: Field required');
    if (messages === undefined) return invalid('messages: Field required');
    if (maxTokens === undefined) return invalid('max_tokens: Field required');
    if (!isOptionalInt(maxTokens, 1) || maxTokens === null) return invalid('max_tokens: Input should be greater than or equal to 1');
    if (!Array.isArray(messages)) return invalid('messages: Input should be a valid list');
    if (messages.length === 0) return invalid('messages: at least one message is required');

    const turns: ConversationTurn[] = [];
    for (let i = 0; i < messages.length; i++) {
      const message: unknown = messages[i];
      if (!isRecord(message)) return invalid(`messages.${i}: Input should be a valid dictionary`);
      if (message.role === 'system') {
        return invalid('messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, not "system" as an input message role.');
      }
      if (message.role !== 'user' && message.role !== 'assistant') return invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
      const text = flattenContent(message.content);
      if (text === null) return invalid(`messages.${i}.content: Field required`);
      const isFinalAssistant = i === messages.length - 1 && message.role === 'assistant';
      if (text.length === 0 && !isFinalAssistant) {
        return invalid(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
      }
      turns.push({ role: message.role, text });
    }

    let systemText = '';
    if (system !== undefined && system !== null) {
      const flattened = flattenContent(system);
      if (flattened === null) return invalid('system: Input should be a valid string or a list of text blocks');
      systemText = flattened;
    }
    if (temperature !== undefined && (typeof temperature !== 'number' || temperature < 0 || temperature > 1)) {
      return invalid('temperature: Input should be less than or equal to 1');
    }
    if (body.stream === true) return invalid('stream: llm-sim does not implement streaming; send stream: false.');
    const stopSequences = body.stop_sequences;
    if (stopSequences !== undefined && (!Array.isArray(stopSequences) || !stopSequences.every((s) => typeof s === 'string'))) {
      return invalid('stop_sequences: Input should be a valid list of strings');
    }

    const replyFormat = parseForcedTool(body.tools, body.tool_choice);
    if (isApiError(replyFormat)) return replyFormat;

    return {
      model,
      system: systemText,
      turns,
      maxTokens: maxTokens as number,
      temperature: temperature as number | undefined,
      stop: ((stopSequences ?? []) as string[]).filter((s) => s.length > 0),
      n: 1,
      ...(replyFormat === undefined ? {} : { replyFormat }),
    };
  },

  contextExceeded(promptTokens: number, maxTokens: number | undefined, limit: number): ApiError {
    if (maxTokens === undefined || promptTokens > limit) return invalid(`prompt is too long: ${promptTokens} tokens > ${limit} maximum`);
    return invalid(`input length and \`max_tokens\` exceed context limit: ${promptTokens} + ${maxTokens} > ${limit}, decrease input length or \`max_tokens\` and try again`);
  },

  renderResponse(req: GenerationRequest, result: CompletionResult): unknown {
    const choice = result.choices[0];
    const toolInput = req.replyFormat?.kind === 'tool' && choice?.structured && choice.finish !== 'length' ? parseObject(choice.text) : null;
    const stopReason = toolInput !== null ? 'tool_use' : choice?.finish === 'length' ? 'max_tokens' : choice?.finish === 'stop_sequence' ? 'stop_sequence' : 'end_turn';
    const content = toolInput !== null
      ? [{ type: 'tool_use', id: `toolu_01${randomBase62(22)}`, name: req.replyFormat?.name ?? '', input: toolInput }]
      : [{ type: 'text', text: choice?.text ?? '' }];
    return {
      id: `msg_01${randomBase62(22)}`,
      type: 'message',
      role: 'assistant',
      model: req.model,
      content,
      stop_reason: stopReason,
      stop_sequence: choice?.stopSequence ?? null,
      usage: {
        input_tokens: result.promptTokens,
        output_tokens: result.completionTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        service_tier: 'standard',
      },
    };
  },

  renderError(error: ApiError, requestId: string): { status: number; body: unknown } {
    const spec = ERRORS[error.kind];
    return { status: spec.status, body: { type: 'error', error: { type: spec.type, message: error.message }, request_id: requestId } };
  },

  rateLimitHeaders(s: RateLimitSnapshot): Record<string, string> {
    const headers: Record<string, string> = {};
    const resetAt = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (s.limitRequests !== undefined) {
      headers['anthropic-ratelimit-requests-limit'] = String(s.limitRequests);
      headers['anthropic-ratelimit-requests-remaining'] = String(s.remainingRequests ?? 0);
      headers['anthropic-ratelimit-requests-reset'] = resetAt(s.resetRequestsMs ?? 0);
    }
    if (s.limitTokens !== undefined) {
      headers['anthropic-ratelimit-tokens-limit'] = String(s.limitTokens);
      headers['anthropic-ratelimit-tokens-remaining'] = String(s.remainingTokens ?? 0);
      headers['anthropic-ratelimit-tokens-reset'] = resetAt(s.resetTokensMs ?? 0);
    }
    return headers;
  },
};

/** The structured reply's object, or null when the text is not one (cut short, or a refusal). */
function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}
