import OpenAI from 'openai';
import type { ChatProvider, CompletionRequest, CompletionResult, ProviderKind } from '../endpoint';
import { toLlmError } from '../llm-error';

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
        { model: this.model, messages: request.messages, temperature: request.temperature, ...limit },
        { signal },
      );
      const choice = response.choices[0];
      return {
        text: choice?.message?.content ?? '',
        inputTokens: response.usage?.prompt_tokens ?? 0,
        outputTokens: response.usage?.completion_tokens ?? 0,
        finishReason: choice?.finish_reason ?? 'stop',
      };
    } catch (err) {
      throw toLlmError(err);
    }
  }
}
