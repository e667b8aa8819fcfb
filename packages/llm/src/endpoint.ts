import type { ChatMessage, Provider } from '@tapir/core';

/** core's provider table is the one list of API flavours. */
export type ProviderKind = Provider;

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

/**
 * A reply as one JSON object of a schema: OpenAI takes it as `response_format` (the object comes
 * back as message.content text), Anthropic as a tool the model must call (the object comes back as
 * the tool_use block's input). Either way the result's text is the object as JSON.
 */
export interface StructuredReplyRequest {
  mode: 'json_schema' | 'tool';
  name: string;
  description: string;
  schema: Record<string, unknown>;
}

export interface CompletionRequest {
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  /** Sampling seed (OpenAI and vLLM honour it; Anthropic has none). Asking the same prompt
   * for several different samples, e.g. new instructions from one seed, varies it. */
  seed?: number | undefined;
  structuredReply?: StructuredReplyRequest | undefined;
}

export interface CompletionResult {
  text: string;
  inputTokens: number;
  outputTokens: number;
  /** stop | length | other provider reasons, normalised to OpenAI's words where they exist */
  finishReason: string;
}

/** A text whose log-likelihood is wanted, after a prefix that conditions it (possibly empty). */
export interface ContinuationRequest {
  prefix: string;
  target: string;
}

/** The target's token log-probabilities summed, from the model's prompt log-probabilities. */
export interface ContinuationScore {
  tokens: number;
  sumLogprob: number;
  inputTokens: number;
  outputTokens: number;
}

/** One model endpoint behind one interface; the provider SDKs live behind it. */
export interface ChatProvider {
  readonly kind: ProviderKind;
  readonly model: string;
  readonly baseURL: string | undefined;
  complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult>;
  /** Only endpoints that return prompt log-probabilities (vLLM's /v1/completions with echo and
   * logprobs) have this; the IFD signal needs it. */
  scoreContinuation?(request: ContinuationRequest, signal?: AbortSignal): Promise<ContinuationScore>;
}
