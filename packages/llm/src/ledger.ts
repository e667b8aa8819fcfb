import { llmCalls, type Db } from '@tapir/db';
import { and, eq } from 'drizzle-orm';
import type { ChatMessage } from '@tapir/core';
import { ledgerCacheKey } from './cache-key';
import type { ChatProvider } from './endpoint';
import { LlmError, toLlmError } from './llm-error';
import { costUsd, type Price } from './pricing';

export interface LedgerRequest {
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  promptVersion: string;
  salt?: string;
}

export interface LedgerContext {
  campaignId: string;
  itemId?: number;
  role: string;
  purpose: string;
}

export interface LedgerResult {
  text: string;
  callId: number;
  /** true when an identical earlier request answered this one and nothing was paid */
  fromLedger: boolean;
  inputTokens: number;
  outputTokens: number;
  finishReason: string;
}

/**
 * Every model request goes through here: a ledger row is written before the request is sent
 * and completed when the answer comes back, and an identical request already answered is
 * served from the ledger instead of being paid for again.
 */
export class LlmLedger {
  constructor(private readonly db: Db) {}

  async complete(
    provider: ChatProvider,
    request: LedgerRequest,
    context: LedgerContext,
    price: Price | undefined,
    signal?: AbortSignal,
  ): Promise<LedgerResult> {
    const cacheKey = ledgerCacheKey({ ...request, provider: provider.kind, baseURL: provider.baseURL, model: provider.model });
    const [answered] = await this.db
      .select()
      .from(llmCalls)
      .where(and(eq(llmCalls.cacheKey, cacheKey), eq(llmCalls.status, 'completed')))
      .limit(1);
    if (answered) {
      return {
        text: answered.responseText ?? '',
        callId: answered.id,
        fromLedger: true,
        inputTokens: answered.inputTokens ?? 0,
        outputTokens: answered.outputTokens ?? 0,
        finishReason: answered.finishReason ?? 'stop',
      };
    }

    const [row] = await this.db
      .insert(llmCalls)
      .values({
        cacheKey,
        campaignId: context.campaignId,
        itemId: context.itemId,
        role: context.role,
        purpose: context.purpose,
        provider: provider.kind,
        baseUrl: provider.baseURL ?? null,
        model: provider.model,
        params: { temperature: request.temperature, maxTokens: request.maxTokens, salt: request.salt ?? null },
        promptVersion: request.promptVersion,
        status: 'pending',
      })
      .returning({ id: llmCalls.id });
    const callId = row!.id;
    const started = performance.now();
    try {
      const result = await provider.complete(
        { messages: request.messages, temperature: request.temperature, maxTokens: request.maxTokens },
        signal,
      );
      await this.db
        .update(llmCalls)
        .set({
          status: 'completed',
          responseText: result.text,
          finishReason: result.finishReason,
          latencyMs: Math.round(performance.now() - started),
          inputTokens: result.inputTokens,
          outputTokens: result.outputTokens,
          costUsd: costUsd(price, result.inputTokens, result.outputTokens),
          completedAt: new Date(),
        })
        .where(eq(llmCalls.id, callId));
      return { ...result, callId, fromLedger: false };
    } catch (raw) {
      const err: LlmError = toLlmError(raw);
      await this.db
        .update(llmCalls)
        .set({
          status: 'failed',
          error: `${err.kind}${err.status ? ` ${err.status}` : ''}: ${err.message}`.slice(0, 1000),
          latencyMs: Math.round(performance.now() - started),
          completedAt: new Date(),
        })
        .where(eq(llmCalls.id, callId));
      throw err;
    }
  }
}
