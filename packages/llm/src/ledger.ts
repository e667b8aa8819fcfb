import { campaigns, llmCalls, withConnectionRetry, type Db } from '@tapir/db';
import { and, eq } from 'drizzle-orm';
import type { ChatMessage } from '@tapir/core';
import { reserveBudget, settleBudgetSql, worstCaseReservation, type Reservation } from './budget';
import { ledgerCacheKey } from './cache-key';
import type { ChatProvider } from './endpoint';
import { toLlmError, type LlmError } from './llm-error';
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
  /** The campaign has a spend limit: reserve the worst case before sending. */
  budgeted?: boolean;
}

/** Called only for requests that will really be sent (not those served from the ledger). */
export interface SendHooks {
  /** Waits for the endpoint's rate limiter; gets the worst-case token count of the request. */
  beforeSend?: (worstCaseTokens: number) => Promise<void>;
  afterSend?: (worstCaseTokens: number, usedTokens: number) => Promise<void>;
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

/** Ledger writes after a paid answer must survive a PostgreSQL restart: losing them means paying twice. */
const PAID_WRITE_RETRY_MS = 10 * 60_000;

/**
 * Every model request goes through here: a ledger row is written before the request is sent
 * and completed when the answer comes back, and an identical request already answered is
 * served from the ledger (a `served` row points at the answer) instead of being paid again.
 */
export class LlmLedger {
  constructor(private readonly db: Db) {}

  async complete(
    provider: ChatProvider,
    request: LedgerRequest,
    context: LedgerContext,
    price: Price | undefined,
    hooks: SendHooks = {},
    signal?: AbortSignal,
  ): Promise<LedgerResult> {
    const cacheKey = ledgerCacheKey({ ...request, provider: provider.kind, baseURL: provider.baseURL, model: provider.model });
    const rowBase = {
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
    };

    const [answered] = await this.db
      .select()
      .from(llmCalls)
      .where(and(eq(llmCalls.cacheKey, cacheKey), eq(llmCalls.status, 'completed')))
      .limit(1);
    if (answered) {
      const [served] = await this.db
        .insert(llmCalls)
        .values({ ...rowBase, status: 'served', servedFromCallId: answered.id, costUsd: 0, completedAt: new Date() })
        .returning({ id: llmCalls.id });
      return {
        text: answered.responseText ?? '',
        callId: served!.id,
        fromLedger: true,
        inputTokens: answered.inputTokens ?? 0,
        outputTokens: answered.outputTokens ?? 0,
        finishReason: answered.finishReason ?? 'stop',
      };
    }

    const worstCase = worstCaseReservation(request.messages, request.maxTokens, price);
    // Rate first, then budget: a reservation should not sit idle while the endpoint is throttled.
    await hooks.beforeSend?.(worstCase.tokens);
    let reservation: Reservation | undefined;
    if (context.budgeted) {
      reservation = worstCase;
      await reserveBudget(this.db, context.campaignId, reservation);
    }

    let callId: number;
    try {
      const [row] = await this.db.insert(llmCalls).values({ ...rowBase, status: 'pending' }).returning({ id: llmCalls.id });
      callId = row!.id;
    } catch (err) {
      if (reservation) await this.settle(context.campaignId, reservation, 0, 0).catch(() => undefined);
      throw err;
    }

    const started = performance.now();
    let result;
    try {
      result = await provider.complete(
        { messages: request.messages, temperature: request.temperature, maxTokens: request.maxTokens },
        signal,
      );
    } catch (raw) {
      const err: LlmError = toLlmError(raw);
      await withConnectionRetry(() =>
        this.db.transaction(async (tx) => {
          await tx
            .update(llmCalls)
            .set({
              status: 'failed',
              error: `${err.kind}${err.status ? ` ${err.status}` : ''}: ${err.message}`.slice(0, 1000),
              latencyMs: Math.round(performance.now() - started),
              completedAt: new Date(),
            })
            .where(eq(llmCalls.id, callId));
          if (reservation) await tx.update(campaigns).set(settleBudgetSql(reservation, 0, 0)).where(eq(campaigns.id, context.campaignId));
        }),
      );
      throw err;
    }

    await hooks.afterSend?.(worstCase.tokens, result.inputTokens + result.outputTokens).catch(() => undefined);
    const cost = costUsd(price, result.inputTokens, result.outputTokens);
    await withConnectionRetry(
      () =>
        this.db.transaction(async (tx) => {
          await tx
            .update(llmCalls)
            .set({
              status: 'completed',
              responseText: result.text,
              finishReason: result.finishReason,
              latencyMs: Math.round(performance.now() - started),
              inputTokens: result.inputTokens,
              outputTokens: result.outputTokens,
              costUsd: cost,
              completedAt: new Date(),
            })
            .where(eq(llmCalls.id, callId));
          if (reservation) {
            await tx
              .update(campaigns)
              .set(settleBudgetSql(reservation, cost, result.inputTokens + result.outputTokens))
              .where(eq(campaigns.id, context.campaignId));
          }
        }),
      { maxWaitMs: PAID_WRITE_RETRY_MS },
    );
    return { ...result, callId, fromLedger: false };
  }

  private async settle(campaignId: string, r: Reservation, usd: number, tokens: number): Promise<void> {
    await this.db.update(campaigns).set(settleBudgetSql(r, usd, tokens)).where(eq(campaigns.id, campaignId));
  }
}
