import { createHash } from 'node:crypto';
import type { ChatMessage } from '@tapir/core';
import type { ProviderKind } from './endpoint';

export interface CacheKeyInput {
  provider: ProviderKind;
  baseURL: string | undefined;
  model: string;
  temperature: number;
  maxTokens: number;
  messages: readonly ChatMessage[];
  promptVersion: string;
  /** Distinguishes deliberate re-asks of the same prompt (e.g. a judge reply that did not parse). */
  salt?: string | undefined;
  seed?: number | undefined;
}

function normalizeBaseUrl(url: string | undefined): string {
  return (url ?? '').trim().replace(/\/+$/, '').toLowerCase();
}

/**
 * Everything that changes the answer, and nothing else (not the campaign, item, role or key):
 * the same request from another campaign or a re-run is the same request.
 */
export function ledgerCacheKey(input: CacheKeyInput): string {
  const canonical = JSON.stringify([
    input.provider,
    normalizeBaseUrl(input.baseURL),
    input.model,
    input.temperature,
    input.maxTokens,
    input.promptVersion,
    input.salt ?? '',
    // Appended only when set, so the keys of every request without a seed stay what they were.
    ...(input.seed === undefined ? [] : [input.seed]),
    input.messages.map((m) => [m.role, m.content]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
