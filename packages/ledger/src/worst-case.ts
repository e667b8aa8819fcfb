import type { ChatMessage } from '@tapir/core';
import { costUsd, estimatePromptTokens, scriptAwareTokenEstimate, type Price } from '@tapir/llm';
import type { Usage } from './send-hook';

/**
 * The most a request can cost: its prompt's tokens plus the reply limit. The prompt is counted
 * with the model's tokenizer where tapir has one (OpenAI models) and a script-aware estimate that
 * leans high otherwise; chars/4, used before, undercounted CJK text 3-4x. Without a model name
 * the script-aware estimate is used.
 */
export function worstCaseUsage(messages: readonly ChatMessage[], maxTokens: number, price: Price | undefined, model?: string): Usage {
  const inputTokens =
    model === undefined ? messages.reduce((n, m) => n + scriptAwareTokenEstimate(m.content) + 4, 3) : estimatePromptTokens(messages, model);
  return { usd: costUsd(price, inputTokens, maxTokens), tokens: inputTokens + maxTokens };
}
