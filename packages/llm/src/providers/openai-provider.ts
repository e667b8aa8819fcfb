import OpenAI from 'openai';
import { targetSpanFromPromptLogprobs, targetSpanLogprobs } from '@tapir/core';
import type { ChatProvider, CompletionRequest, CompletionResult, ContinuationRequest, ContinuationScore, ProviderKind, StructuredReplyRequest } from '../endpoint';
import { LlmError, toLlmError } from '../llm-error';

/** OpenAI structured outputs: the schema strict, so the reply is always an object of it. */
function responseFormat(reply: StructuredReplyRequest): OpenAI.ResponseFormatJSONSchema {
  if (reply.mode !== 'json_schema') throw new LlmError('bad_request', `OpenAI endpoints take structured replies as json_schema, not ${reply.mode}`);
  return { type: 'json_schema', json_schema: { name: reply.name, description: reply.description, schema: reply.schema, strict: true } };
}

/**
 * OpenAI Chat Completions, also for OpenAI-compatible servers (vLLM, Ollama, ...) via baseURL.
 * SDK retries are off: BullMQ owns retries so that backoff and rate limits are shared.
 */
export class OpenAIProvider implements ChatProvider {
  private readonly client: OpenAI;

  constructor(
    readonly kind: Extract<ProviderKind, 'openai' | 'openai-compatible'>,
    readonly model: string,
    readonly baseURL: string | undefined,
    apiKey: string,
    timeoutMs: number,
  ) {
    this.client = new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: timeoutMs });
  }

  async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
    // OpenAI's own API wants max_completion_tokens (reasoning models reject max_tokens);
    // compatible servers such as older vLLM only know max_tokens.
    const limit =
      this.kind === 'openai' ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens };
    try {
      const response = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: request.messages,
          temperature: request.temperature,
          ...limit,
          ...(request.seed === undefined ? {} : { seed: request.seed }),
          ...(request.structuredReply === undefined ? {} : { response_format: responseFormat(request.structuredReply) }),
        },
        { signal },
      );
      const choice = response.choices[0];
      return {
        // A structured-output refusal comes as message.refusal with null content; the caller's
        // parser sees the refusal's words and re-asks.
        text: choice?.message?.content ?? choice?.message?.refusal ?? '',
        inputTokens: response.usage?.prompt_tokens ?? 0,
        outputTokens: response.usage?.completion_tokens ?? 0,
        finishReason: choice?.finish_reason ?? 'stop',
      };
    } catch (err) {
      throw toLlmError(err);
    }
  }

  /**
   * The log-likelihood of `target` after `prefix`, from the legacy completions endpoint with the
   * prompt echoed and its log-probabilities (vLLM serves it; so did OpenAI for base models). One
   * token is generated because not every server accepts max_tokens 0; it is left out of the span.
   * vLLM's `prompt_logprobs` field is used when a server returns only that.
   */
  async scoreContinuation(request: ContinuationRequest, signal?: AbortSignal): Promise<ContinuationScore> {
    const prompt = request.prefix + request.target;
    let response;
    try {
      response = await this.client.completions.create(
        { model: this.model, prompt, max_tokens: 1, temperature: 0, echo: true, logprobs: 1 },
        { signal },
      );
    } catch (err) {
      throw toLlmError(err);
    }
    const choice = response.choices[0] as (typeof response.choices)[number] & { prompt_logprobs?: unknown };
    const usage = { inputTokens: response.usage?.prompt_tokens ?? 0, outputTokens: response.usage?.completion_tokens ?? 0 };
    const logprobs = choice?.logprobs;
    if (logprobs?.tokens && logprobs.token_logprobs && logprobs.text_offset) {
      const span = targetSpanLogprobs(
        { tokens: logprobs.tokens, token_logprobs: logprobs.token_logprobs, text_offset: logprobs.text_offset },
        request.prefix.length,
        prompt.length,
      );
      return { ...span, ...usage };
    }
    if (Array.isArray(choice?.prompt_logprobs)) {
      const span = targetSpanFromPromptLogprobs(choice.prompt_logprobs as Parameters<typeof targetSpanFromPromptLogprobs>[0], request.prefix, request.target);
      return { ...span, ...usage };
    }
    throw new LlmError(
      'bad_request',
      `model ${this.model} returned no prompt log-probabilities; the IFD signal needs an OpenAI-compatible completions endpoint with echo and logprobs (e.g. vLLM)`,
    );
  }
}
