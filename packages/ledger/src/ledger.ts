import {
  LEDGER_CLAIM,
  LEDGER_COMPLETE,
  LEDGER_PROBE,
  LEDGER_TWIN_BUSY,
  llmCalls,
  withConnectionRetry,
  type Db,
  type LedgerClaimedRow,
  type LedgerCompleteValues,
  type LedgerOpenValues,
  type LedgerProbedRow,
} from '@tapir/db';
import { and, eq, inArray } from 'drizzle-orm';
import { InFlightBatcher, type ChatMessage } from '@tapir/core';
import {
  costUsd,
  ledgerCacheKey,
  LlmError,
  toLlmError,
  type ChatProvider,
  type CompletionResult,
  type ContinuationRequest,
  type EmbeddingBatch,
  type EmbeddingProvider,
  type Price,
} from '@tapir/llm';
import { aroundAll, type SendHook, type Usage } from './send-hook';
import { DEFAULT_LEDGER_LEASE_MS, LeaseKeeper } from './lease-keeper';
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

/** Texts to embed in one request; the ledger keys it by model and texts, in order. */
export interface LedgerEmbedRequest {
  texts: readonly string[];
  promptVersion: string;
}

export interface LedgerEmbedResult {
  callId: number;
  /** true when an identical earlier request was answered: its vectors are wherever `store` put them. */
  fromLedger: boolean;
}

/** What the ledger needs of an endpoint: its identity, for the key and the row. */
type EndpointIdentity = Pick<ChatProvider, 'kind' | 'model' | 'baseURL'>;

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
 * the ledger statements per request were the largest share of the worker's CPU (socket writes)
 * and of PostgreSQL's. A row is still written before its request is sent and completed before
 * its job goes on; only the statement is shared. They are sent unnamed, so that each batch is
 * planned for the table as it is now (see pipeline's batched-statement.ts).
 */
const BATCHING = { maxBatch: 64, maxInFlight: 2 };

const NOTHING_PAID: Usage = { usd: 0, tokens: 0 };

/** Ledger writes after a paid answer must survive a PostgreSQL restart: losing them means paying twice. */
const PAID_WRITE_RETRY_MS = 10 * 60_000;

/**
 * How often a request whose twin is on the wire looks again: soon at first (most answers take
 * about a second), then at most once a second. The looks of all waiters share batched statements,
 * and waiting happens only when two jobs ask the same request at once (a duplicate job after a
 * Redis loss, a retry beside its stalled original), so polling costs less than holding a LISTEN
 * connection per process and a NOTIFY per answer on the hot path.
 */
const WAIT_FIRST_MS = 50;
const WAIT_MAX_MS = 1_000;

export interface LlmLedgerOptions {
  /** How long a request's row stays its process's without renewal (see LeaseKeeper). */
  leaseMs?: number;
}

/**
 * Every model request goes through here, paid at most once: an identical request already answered
 * is served from the ledger (a `served` row points at the answer); one on the wire elsewhere is
 * waited for and then served; otherwise, once the send hooks let it go, its row is claimed
 * (`pending`, with `sent_at` and a lease) as it goes on the wire and completed when the answer
 * comes back.
 */
export class LlmLedger {
  private readonly prober: InFlightBatcher<LedgerOpenValues, LedgerProbedRow>;
  private readonly claimer: InFlightBatcher<LedgerOpenValues, LedgerClaimedRow>;
  private readonly twinWatcher: InFlightBatcher<number, boolean>;
  private readonly completer: InFlightBatcher<LedgerCompleteValues, void>;
  private readonly leases: LeaseKeeper;

  constructor(
    private readonly db: Db,
    options: LlmLedgerOptions = {},
  ) {
    const pool = db.$client;
    this.leases = new LeaseKeeper(db, options.leaseMs ?? DEFAULT_LEDGER_LEASE_MS);
    this.prober = new InFlightBatcher(async (rows) => {
      const probed = await pool.query<LedgerProbedRow>({ text: LEDGER_PROBE.text, values: columnsOf(rows, 10) });
      return probed.rows;
    }, BATCHING);
    this.claimer = new InFlightBatcher(async (rows) => {
      const values = [...columnsOf(rows, 10), this.leases.owner, this.leases.leaseMs];
      const claimed = await pool.query<LedgerClaimedRow>({ text: LEDGER_CLAIM.text, values });
      return claimed.rows;
    }, BATCHING);
    this.twinWatcher = new InFlightBatcher(async (ids) => {
      const busy = await pool.query<{ busy: boolean }>({ text: LEDGER_TWIN_BUSY.text, values: [ids] });
      return busy.rows.map((r) => r.busy);
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

  /**
   * One batched embeddings request, paid once. The vectors are not ledger text (a batch of them is
   * hundreds of kilobytes): `store` writes them where they belong, with the ledger row's id, after
   * the answer arrives and before the row is completed. A row found completed therefore means its
   * vectors are stored, and a rerun or a twin waiting on it reads them from there.
   */
  async embed(
    provider: EmbeddingProvider,
    request: LedgerEmbedRequest,
    context: LedgerContext,
    price: Price | undefined,
    hooks: readonly SendHook[],
    store: (batch: EmbeddingBatch, callId: number) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<LedgerEmbedResult> {
    const messages: ChatMessage[] = request.texts.map((text) => ({ role: 'user', content: text }));
    const cacheKey = ledgerCacheKey({
      provider: provider.kind,
      baseURL: provider.baseURL,
      model: provider.model,
      temperature: 0,
      maxTokens: 0,
      promptVersion: request.promptVersion,
      salt: 'embeddings',
      messages,
    });
    const result = await this.exchange(
      provider,
      { cacheKey, params: { embeddings: request.texts.length }, promptVersion: request.promptVersion, messages, maxTokens: 0 },
      context,
      price,
      hooks,
      async (callId): Promise<CompletionResult> => {
        const batch = await provider.embed(request.texts, signal);
        await withConnectionRetry(() => store(batch, callId), { maxWaitMs: PAID_WRITE_RETRY_MS });
        return {
          text: JSON.stringify({ vectors: batch.vectors.length, dimensions: batch.vectors[0]?.length ?? 0 }),
          inputTokens: batch.inputTokens,
          outputTokens: 0,
          finishReason: 'stop',
        };
      },
    );
    return { callId: result.callId, fromLedger: result.fromLedger };
  }

  /** Stops renewing leases (the process is closing; its rows on the wire will be taken over once they expire). */
  close(): void {
    this.leases.close();
  }

  private async exchange(
    provider: EndpointIdentity,
    request: { cacheKey: string; params: Record<string, unknown>; promptVersion: string; messages: ChatMessage[]; maxTokens: number },
    context: LedgerContext,
    price: Price | undefined,
    hooks: readonly SendHook[],
    send: (callId: number) => Promise<CompletionResult>,
  ): Promise<LedgerResult> {
    const row: LedgerOpenValues = [
      request.cacheKey,
      context.campaignId,
      context.itemId ?? null,
      context.role,
      context.purpose,
      provider.kind,
      provider.baseURL ?? null,
      provider.model,
      JSON.stringify(request.params),
      request.promptVersion,
    ];
    for (;;) {
      const probed = await this.prober.submit(row);
      if (probed.status === 'served') {
        return {
          text: probed.response_text ?? '',
          callId: probed.id!,
          fromLedger: true,
          inputTokens: probed.input_tokens ?? 0,
          outputTokens: probed.output_tokens ?? 0,
          finishReason: probed.finish_reason ?? 'stop',
        };
      }
      // A twin on the wire: its answer will serve this request. If it fails or its worker dies,
      // the next probe finds no live twin and this request is sent by itself (a failed request is
      // not billed, and this caller's own retry policy then judges its own error).
      if (probed.status === 'wait') {
        await this.waitWhileBusy(probed.id!);
        continue;
      }
      const sent = await this.sendOnce(provider, row, request, price, hooks, send);
      if (sent) return sent;
      // Claimed or answered by another process while this one waited for its hooks: look again.
    }
  }

  /** Returns when the row is no longer on the wire under a live lease (answered, failed, or its lease ran out). */
  private async waitWhileBusy(callId: number): Promise<void> {
    for (let delay = WAIT_FIRST_MS; ; delay = Math.min(WAIT_MAX_MS, delay * 2)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (!(await this.twinWatcher.submit(callId))) return;
    }
  }

  /**
   * Runs the hooks, claims the row inside the concurrency slot (so `sent_at` is when it went on
   * the wire, not when it started waiting for a slot or the rate limit) and sends. Undefined when
   * the claim found the key taken: nothing was sent and what the hooks reserved is given back.
   */
  private async sendOnce(
    provider: EndpointIdentity,
    row: LedgerOpenValues,
    request: { messages: ChatMessage[]; maxTokens: number },
    price: Price | undefined,
    hooks: readonly SendHook[],
    send: (callId: number) => Promise<CompletionResult>,
  ): Promise<LedgerResult | undefined> {
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
      // Not sent after all: release what earlier hooks reserved.
      await this.releaseUnsent(worstCase, passed).catch(() => undefined);
      throw err;
    }
    const settling = hooks.filter((hook) => hook.settle);

    // Latency is the provider's: measured inside the slot, not while waiting for one.
    let started = performance.now();
    let callId: number | undefined;
    let result: CompletionResult | undefined;
    try {
      result = await aroundAll(hooks, async () => {
        const claim = await this.claimer.submit(row);
        if (!claim.claimed) return undefined;
        callId = claim.id;
        this.leases.hold(callId);
        started = performance.now();
        return send(claim.id);
      });
    } catch (raw) {
      if (callId === undefined) {
        // The claim itself failed (PostgreSQL unreachable): nothing went on the wire.
        await withConnectionRetry(() => this.releaseUnsent(worstCase, hooks)).catch(() => undefined);
        throw raw;
      }
      const failedId = callId;
      const err = toLlmError(raw);
      const reason = `${err.kind}${err.status ? ` ${err.status}` : ''}: ${err.message}`.slice(0, 1000);
      try {
        await withConnectionRetry(() =>
          this.db.transaction(async (tx) => {
            await tx
              .update(llmCalls)
              .set({ status: 'failed', error: reason, latencyMs: Math.round(performance.now() - started), completedAt: new Date() })
              .where(eq(llmCalls.id, failedId));
            for (const hook of settling) await hook.settle!(tx, worstCase, NOTHING_PAID);
          }),
        );
      } finally {
        this.leases.release(failedId);
      }
      for (const hook of hooks) await hook.afterFailure?.(err).catch(() => undefined);
      throw err;
    }
    if (result === undefined || callId === undefined) {
      await withConnectionRetry(() => this.releaseUnsent(worstCase, hooks));
      return undefined;
    }

    const answer = result;
    const answeredId = callId;
    const used = answer.inputTokens + answer.outputTokens;
    const cost = costUsd(price, answer.inputTokens, answer.outputTokens);
    for (const hook of hooks) await hook.afterAnswer?.(worstCase, { usd: cost, tokens: used }).catch(() => undefined);
    const latencyMs = Math.round(performance.now() - started);
    const completion: LedgerCompleteValues = [answeredId, answer.text, answer.finishReason, latencyMs, answer.inputTokens, answer.outputTokens, cost];
    try {
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
                responseText: answer.text,
                finishReason: answer.finishReason,
                latencyMs,
                inputTokens: answer.inputTokens,
                outputTokens: answer.outputTokens,
                costUsd: cost,
                completedAt: new Date(),
              })
              .where(and(eq(llmCalls.id, answeredId), inArray(llmCalls.status, ['pending', 'abandoned'])));
            for (const hook of settling) await hook.settle!(tx, worstCase, { usd: cost, tokens: used });
          });
        },
        { maxWaitMs: PAID_WRITE_RETRY_MS },
      );
    } finally {
      this.leases.release(answeredId);
    }
    return { ...answer, callId: answeredId, fromLedger: false };
  }

  /** Gives back what the hooks that passed hold for a request that was not sent after all. */
  private async releaseUnsent(worstCase: Usage, passed: readonly SendHook[]): Promise<void> {
    const settling = passed.filter((hook) => hook.settle);
    if (settling.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const hook of settling) await hook.settle!(tx, worstCase, NOTHING_PAID);
    });
  }
}
