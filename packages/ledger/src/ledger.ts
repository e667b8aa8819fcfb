import { LEDGER_COMPLETE, LEDGER_OPEN, LEDGER_UNSENT, llmCalls, withConnectionRetry, type Db, type LedgerCompleteValues, type LedgerOpenValues, type LedgerOpenedRow } from '@tapir/db';
import { eq } from 'drizzle-orm';
import { InFlightBatcher, type ChatMessage } from '@tapir/core';
import {
  costUsd,
  ledgerCacheKey,
  LlmError,
  toLlmError,
  type ChatProvider,
  type CompletionResult,
  type ContinuationRequest,
  type Price,
} from '@tapir/llm';
import { aroundAll, type SendHook, type Usage } from './send-hook';
import { worstCaseUsage } from './worst-case';

export interface LedgerRequest {
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  promptVersion: string;
  salt?: string;
  seed?: number;
}

/** A request for the log-likelihood of `target` after `prefix` (see ChatProvider.scoreContinuation). */
export interface LedgerScoreRequest extends ContinuationRequest {
  promptVersion: string;
}

export interface LedgerScoreResult {
  tokens: number;
  sumLogprob: number;
  callId: number;
  fromLedger: boolean;
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

/** Column arrays of a batch of rows, for unnest($1, $2, ...). */
function columnsOf<T extends unknown[]>(rows: T[], width: number): unknown[][] {
  return Array.from({ length: width }, (_, k) => rows.map((r) => r[k]));
}

/**
 * Ledger statements from concurrent jobs share round trips: at zero latency and 64 jobs in flight
 * the two ledger statements per request were the largest share of the worker's CPU (socket
 * writes) and of PostgreSQL's. A row is still written before its request is sent and completed
 * before its job goes on; only the statement is shared. Both are sent unnamed, so that each batch
 * is planned for the table as it is now (see pipeline's batched-statement.ts).
 */
const BATCHING = { maxBatch: 64, maxInFlight: 2 };

const NOTHING_PAID: Usage = { usd: 0, tokens: 0 };

/** Ledger writes after a paid answer must survive a PostgreSQL restart: losing them means paying twice. */
const PAID_WRITE_RETRY_MS = 10 * 60_000;

/**
 * Every model request goes through here: a ledger row is written before the request is sent
 * and completed when the answer comes back, and an identical request already answered is
 * served from the ledger (a `served` row points at the answer) instead of being paid again.
 */
export class LlmLedger {
  private readonly opener: InFlightBatcher<LedgerOpenValues, LedgerOpenedRow>;
  private readonly completer: InFlightBatcher<LedgerCompleteValues, void>;

  constructor(private readonly db: Db) {
    const pool = db.$client;
    this.opener = new InFlightBatcher(async (rows) => {
      const opened = await pool.query<LedgerOpenedRow>({ text: LEDGER_OPEN.text, values: columnsOf(rows, 10) });
      return opened.rows;
    }, BATCHING);
    this.completer = new InFlightBatcher(async (rows) => {
      await pool.query({ text: LEDGER_COMPLETE.text, values: columnsOf(rows, 7) });
      return rows.map(() => undefined);
    }, BATCHING);
  }

  async complete(
    provider: ChatProvider,
    request: LedgerRequest,
    context: LedgerContext,
    price: Price | undefined,
    hooks: readonly SendHook[] = [],
    signal?: AbortSignal,
  ): Promise<LedgerResult> {
    const cacheKey = ledgerCacheKey({ ...request, provider: provider.kind, baseURL: provider.baseURL, model: provider.model });
    const params = { temperature: request.temperature, maxTokens: request.maxTokens, salt: request.salt ?? null, ...(request.seed === undefined ? {} : { seed: request.seed }) };
    const sendRequest = { messages: request.messages, temperature: request.temperature, maxTokens: request.maxTokens, seed: request.seed };
    return this.exchange(
      provider,
      { cacheKey, params, promptVersion: request.promptVersion, messages: request.messages, maxTokens: request.maxTokens },
      context,
      price,
      hooks,
      () => provider.complete(sendRequest, signal),
    );
  }

  /**
   * The log-likelihood of a continuation, through the same ledger: paid once, then served. The
   * ledger row's text is the span's token count and log-probability sum as JSON.
   */
  async score(
    provider: ChatProvider,
    request: LedgerScoreRequest,
    context: LedgerContext,
    price: Price | undefined,
    hooks: readonly SendHook[] = [],
    signal?: AbortSignal,
  ): Promise<LedgerScoreResult> {
    const scoreContinuation = provider.scoreContinuation?.bind(provider);
    if (!scoreContinuation) {
      throw new LlmError('bad_request', `provider ${provider.kind} (model ${provider.model}) cannot return prompt log-probabilities`);
    }
    // As a chat exchange for the key and the worst case: the prefix asks, the target is the answer.
    const messages: ChatMessage[] = [
      { role: 'user', content: request.prefix },
      { role: 'assistant', content: request.target },
    ];
    const cacheKey = ledgerCacheKey({
      provider: provider.kind,
      baseURL: provider.baseURL,
      model: provider.model,
      temperature: 0,
      maxTokens: 1,
      promptVersion: request.promptVersion,
      salt: 'prompt-logprobs',
      messages,
    });
    const result = await this.exchange(
      provider,
      { cacheKey, params: { temperature: 0, maxTokens: 1, salt: 'prompt-logprobs' }, promptVersion: request.promptVersion, messages, maxTokens: 1 },
      context,
      price,
      hooks,
      async (): Promise<CompletionResult> => {
        const score = await scoreContinuation({ prefix: request.prefix, target: request.target }, signal);
        return {
          text: JSON.stringify({ tokens: score.tokens, sumLogprob: score.sumLogprob }),
          inputTokens: score.inputTokens,
          outputTokens: score.outputTokens,
          finishReason: 'length',
        };
      },
    );
    const parsed = JSON.parse(result.text) as { tokens: number; sumLogprob: number };
    return { tokens: parsed.tokens, sumLogprob: parsed.sumLogprob, callId: result.callId, fromLedger: result.fromLedger };
  }

  private async exchange(
    provider: ChatProvider,
    request: { cacheKey: string; params: Record<string, unknown>; promptVersion: string; messages: ChatMessage[]; maxTokens: number },
    context: LedgerContext,
    price: Price | undefined,
    hooks: readonly SendHook[],
    send: () => Promise<CompletionResult>,
  ): Promise<LedgerResult> {
    const { cacheKey } = request;
    const row = await this.opener.submit([
      cacheKey,
      context.campaignId,
      context.itemId ?? null,
      context.role,
      context.purpose,
      provider.kind,
      provider.baseURL ?? null,
      provider.model,
      JSON.stringify(request.params),
      request.promptVersion,
    ]);
    const callId = row.id;
    if (row.status === 'served') {
      return {
        text: row.response_text ?? '',
        callId,
        fromLedger: true,
        inputTokens: row.input_tokens ?? 0,
        outputTokens: row.output_tokens ?? 0,
        finishReason: row.finish_reason ?? 'stop',
      };
    }

    const worstCase = worstCaseUsage(request.messages, request.maxTokens, price, provider.model);
    const passed: SendHook[] = [];
    try {
      // In the caller's order: the rate limit comes before the budget, so that a reservation
      // does not sit idle while the endpoint is throttled.
      for (const hook of hooks) {
        await hook.before?.(worstCase);
        passed.push(hook);
      }
    } catch (err) {
      // Not sent after all: the row must not count as a request, nor hold what earlier hooks reserved.
      await this.dropUnsent(callId, worstCase, passed).catch(() => undefined);
      throw err;
    }
    const settling = hooks.filter((hook) => hook.settle);

    // Latency is the provider's: measured inside the slot, not while waiting for one.
    let started = performance.now();
    let result;
    try {
      result = await aroundAll(hooks, () => {
        started = performance.now();
        return send();
      });
    } catch (raw) {
      const err = toLlmError(raw);
      const reason = `${err.kind}${err.status ? ` ${err.status}` : ''}: ${err.message}`.slice(0, 1000);
      await withConnectionRetry(() =>
        this.db.transaction(async (tx) => {
          await tx
            .update(llmCalls)
            .set({ status: 'failed', error: reason, latencyMs: Math.round(performance.now() - started), completedAt: new Date() })
            .where(eq(llmCalls.id, callId));
          for (const hook of settling) await hook.settle!(tx, worstCase, NOTHING_PAID);
        }),
      );
      for (const hook of hooks) await hook.afterFailure?.(err).catch(() => undefined);
      throw err;
    }

    const used = result.inputTokens + result.outputTokens;
    const cost = costUsd(price, result.inputTokens, result.outputTokens);
    for (const hook of hooks) await hook.afterAnswer?.(worstCase, { usd: cost, tokens: used }).catch(() => undefined);
    const latencyMs = Math.round(performance.now() - started);
    const completion: LedgerCompleteValues = [callId, result.text, result.finishReason, latencyMs, result.inputTokens, result.outputTokens, cost];
    await withConnectionRetry(
      async () => {
        if (settling.length === 0) {
          await this.completer.submit(completion);
          return;
        }
        await this.db.transaction(async (tx) => {
          await tx
            .update(llmCalls)
            .set({
              status: 'completed',
              responseText: result.text,
              finishReason: result.finishReason,
              latencyMs,
              inputTokens: result.inputTokens,
              outputTokens: result.outputTokens,
              costUsd: cost,
              completedAt: new Date(),
            })
            .where(eq(llmCalls.id, callId));
          for (const hook of settling) await hook.settle!(tx, worstCase, { usd: cost, tokens: used });
        });
      },
      { maxWaitMs: PAID_WRITE_RETRY_MS },
    );
    return { ...result, callId, fromLedger: false };
  }

  /** Removes the row of a request that a hook stopped before it was sent, releasing what the hooks before it hold. */
  private async dropUnsent(callId: number, worstCase: Usage, passed: readonly SendHook[]): Promise<void> {
    const settling = passed.filter((hook) => hook.settle);
    const remove = { name: LEDGER_UNSENT.name!, text: LEDGER_UNSENT.text, values: [callId] };
    if (settling.length === 0) {
      await this.db.$client.query(remove);
      return;
    }
    await this.db.transaction(async (tx) => {
      await tx.delete(llmCalls).where(eq(llmCalls.id, callId));
      for (const hook of settling) await hook.settle!(tx, worstCase, NOTHING_PAID);
    });
  }
}
