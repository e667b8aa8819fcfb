import Anthropic from '@anthropic-ai/sdk';
import type { ChatProvider, CompletionRequest, CompletionResult } from '../endpoint';
import { toLlmError } from '../llm-error';

const FINISH_REASONS: Record<string, string> = { end_turn: 'stop', max_tokens: 'length', stop_sequence: 'stop' };

/** Anthropic Messages API; system messages move to the top-level `system` field. */
export class AnthropicProvider implements ChatProvider {
  readonly kind = 'anthropic' as const;
  private readonly client: Anthropic;

  constructor(
    readonly model: string,
    readonly baseURL: string | undefined,
    apiKey: string,
    timeoutMs: number,
  ) {
    this.client = new Anthropic({ apiKey, baseURL, maxRetries: 0, timeout: timeoutMs });
  }

  async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
    const system = request.messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n\n');
    const messages = request.messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
    try {
      // SDK 1.x no longer types `temperature` (deprecated upstream), but the Messages API still
      // accepts it and the referee's low temperature matters to the method, so it is sent as is.
      const params = {
        model: this.model,
        max_tokens: request.maxTokens,
        temperature: request.temperature,
        messages,
        ...(system ? { system } : {}),
      } as Anthropic.MessageCreateParamsNonStreaming;
      const response = await this.client.messages.create(params, { signal });
      const text = response.content
        .map((block) => (block.type === 'text' ? block.text : ''))
        .join('');
      return {
        text,
        inputTokens: response.usage.input_tokens,
        outputTokens: response.usage.output_tokens,
        finishReason: FINISH_REASONS[response.stop_reason ?? ''] ?? response.stop_reason ?? 'stop',
      };
    } catch (err) {
      throw toLlmError(err);
    }
  }
}
