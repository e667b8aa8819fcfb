import type { ChatMessage } from '@tapir/core';
import { costUsd, type Price } from '@tapir/llm';
import type { Usage } from './send-hook';

/** Rough prompt size (4 characters a token) plus the reply limit: the most a request can cost. */
export function worstCaseUsage(messages: readonly ChatMessage[], maxTokens: number, price: Price | undefined): Usage {
  const inputTokens = messages.reduce((n, m) => n + Math.ceil(m.content.length / 4) + 4, 0);
  return { usd: costUsd(price, inputTokens, maxTokens), tokens: inputTokens + maxTokens };
}
