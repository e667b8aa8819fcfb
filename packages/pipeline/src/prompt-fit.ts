import { TapirError, type ChatMessage } from '@tapir/core';
import { estimatePromptTokens } from '@tapir/llm';
import type { RoleEndpoint } from './campaign-registry';

/**
 * The prompt cannot fit the model's context: sending it would be refused by the provider (or
 * silently truncated by some servers) on every attempt, so no attempt is made. The message starts
 * with `too_long`, which is how `tapir status` groups these failures.
 */
export class PromptTooLongError extends TapirError {
  constructor(
    readonly promptTokens: number,
    readonly contextTokens: number,
    message: string,
  ) {
    super(message, { retryable: false });
    this.name = 'PromptTooLongError';
  }
}

/** Throws PromptTooLongError, before any request, when the prompt is estimated above the model's context. */
export function assertPromptFits(endpoint: RoleEndpoint, messages: readonly ChatMessage[]): void {
  const { context } = endpoint;
  if (!context) return;
  const promptTokens = estimatePromptTokens(messages, endpoint.settings.model);
  if (promptTokens <= context.tokens) return;
  const source = context.from === 'config' ? `models.${endpoint.role}.contextTokens` : `the context of ${endpoint.settings.model} in the price list`;
  throw new PromptTooLongError(
    promptTokens,
    context.tokens,
    `too_long: the ${endpoint.role}'s prompt is about ${promptTokens} tokens, more than ${source} (${context.tokens}); not sent`,
  );
}
