import type { ChatMessage } from '@tapir/core';

export type ProviderKind = 'openai' | 'anthropic' | 'openai-compatible';

/** What packages/llm needs of a model role; core's ModelRoleConfig satisfies it. */
export interface EndpointConfig {
  provider: ProviderKind;
  model: string;
  baseURL?: string | undefined;
  apiKeyEnv?: string | undefined;
  temperature: number;
  maxTokens: number;
  timeoutMs: number;
  pricing?: { inputPerMTok: number; outputPerMTok: number } | undefined;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
}

export interface CompletionResult {
  text: string;
  inputTokens: number;
  outputTokens: number;
  /** stop | length | other provider reasons, normalised to OpenAI's words where they exist */
  finishReason: string;
}

/** One model endpoint behind one interface; the provider SDKs live behind it. */
export interface ChatProvider {
  readonly kind: ProviderKind;
  readonly model: string;
  readonly baseURL: string | undefined;
  complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult>;
}
