import Anthropic from '@anthropic-ai/sdk';
import type { ChatProvider, CompletionRequest, CompletionResult, StructuredReplyRequest } from '../endpoint';
import { LlmError, toLlmError } from '../llm-error';

const FINISH_REASONS: Record<string, string> = { end_turn: 'stop', max_tokens: 'length', stop_sequence: 'stop', tool_use: 'stop' };

/** A structured reply is a tool the model must call; its input is the object. */
function forcedTool(reply: StructuredReplyRequest): Pick<Anthropic.MessageCreateParamsNonStreaming, 'tools' | 'tool_choice'> {
  if (reply.mode !== 'tool') throw new LlmError('bad_request', `Anthropic endpoints take structured replies as a tool, not ${reply.mode}`);
  return {
    tools: [{ name: reply.name, description: reply.description, input_schema: reply.schema as Anthropic.Tool.InputSchema }],
    tool_choice: { type: 'tool', name: reply.name },
  };
}

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
        ...(request.structuredReply === undefined ? {} : forcedTool(request.structuredReply)),
      } as Anthropic.MessageCreateParamsNonStreaming;
      const response = await this.client.messages.create(params, { signal });
      // The forced tool's input is the reply; without one (a text reply) the text blocks are.
      const toolUse = request.structuredReply === undefined ? undefined : response.content.find((block) => block.type === 'tool_use');
      const text =
        toolUse?.type === 'tool_use'
          ? JSON.stringify(toolUse.input)
          : response.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
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
