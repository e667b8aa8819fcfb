import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { ACQUIRE, RATE_LIMITED, SETTLE, STATE } from './lua-scripts';
import { MAX_SLEEP_MS, WAIT_COUNTS_TTL_MS } from './policy';
import type { AcquireResult, EndpointLimits, EndpointRateState, RateLimitWaits } from './types';

export interface EndpointRateLimiterOptions {
  /** Namespace of the state keys; default 'tapir:rl'. */
  keyPrefix?: string;
}

/** '' tells the scripts "not given": no clock (use Redis time), no limit, no retry-after. */
function arg(value: number | undefined): string {
  return value !== undefined && Number.isFinite(value) ? String(value) : '';
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function optionalNumber(value: string): number | null {
  return value === '' ? null : Number(value);
}

/**
 * Rate limits per model endpoint, shared by every worker process on every machine through one
 * Redis hash per endpoint. Each call is one atomic Lua script (one round trip):
 *  - requests and tokens per minute are paced with GCRA at a little under the effective limit,
 *    so a provider's sliding 60 s window never fills (see policy.ts for the margins);
 *  - a 429 blocks the endpoint for everyone until its retry-after has passed and lowers the
 *    effective rate, which then recovers towards the configured one (AIMD with a remembered
 *    ceiling), so a config that promises more than the provider grants converges on the real limit.
 * With no rpm/tpm configured only the block applies. Times are epoch ms; the Redis server's clock
 * is used unless a caller (a test) passes nowMs.
 */
export class EndpointRateLimiter {
  private readonly keyPrefix: string;
  /** Per endpoint without rpm/tpm: the block check in flight, which callers arriving meanwhile share. */
  private readonly blockChecks = new Map<string, Promise<AcquireResult>>();

  constructor(
    private readonly redis: Redis,
    opts: EndpointRateLimiterOptions = {},
  ) {
    this.keyPrefix = opts.keyPrefix ?? 'tapir:rl';
  }

  /** The Redis key holding one endpoint's state (an endpointKey() hash). */
  keyFor(endpoint: string): string {
    return `${this.keyPrefix}:${endpoint}`;
  }

  /**
   * May a request costing `tokens` (prompt + max output, as providers reserve it) go now? When it
   * may, its capacity is reserved; otherwise retryInMs says when to ask again.
   */
  async tryAcquire(endpoint: string, limits: EndpointLimits, tokens: number, nowMs?: number): Promise<AcquireResult> {
    const reply = (await ACQUIRE.run(this.redis, [this.keyFor(endpoint)], [
      arg(nowMs),
      arg(positive(limits.rpm)),
      arg(positive(limits.tpm)),
      arg(Math.max(0, tokens)),
    ])) as [number, number];
    return reply[0] === 1 ? { ok: true } : { ok: false, retryInMs: reply[1] };
  }

  /**
   * Waits until the request may go and reserves it; returns the ms waited. Rejects (AbortError)
   * as soon as the signal aborts. Sleeps are capped at MAX_SLEEP_MS so that a recovering rate
   * is noticed, and jittered so that many waiting workers do not all ask in the same millisecond.
   */
  async acquire(endpoint: string, limits: EndpointLimits, tokens: number, signal?: AbortSignal): Promise<number> {
    const started = Date.now();
    const unlimited = positive(limits.rpm) === undefined && positive(limits.tpm) === undefined;
    for (let asked = 0; ; asked++) {
      signal?.throwIfAborted();
      const result = unlimited ? await this.sharedBlockCheck(endpoint) : await this.tryAcquire(endpoint, limits, tokens);
      if (result.ok) {
        const waitedMs = Date.now() - started;
        // Only a request that was told to wait costs the extra round trip; the fast path stays one call.
        if (asked > 0) await this.recordWait(endpoint, waitedMs);
        return waitedMs;
      }
      const jitter = Math.random() * Math.min(25, result.retryInMs / 4);
      await sleep(Math.min(result.retryInMs, MAX_SLEEP_MS) + jitter, undefined, signal ? { signal } : {});
    }
  }

  /**
   * Without rpm/tpm nothing is reserved: the script only reads the endpoint's block, and every
   * caller gets the same answer. Callers that arrive while a check is in flight share it, so that
   * at zero latency and many jobs in flight the block costs one round trip per batch of requests
   * instead of one per request. A 429 reported during that round trip is missed by them exactly
   * as it would be by a check of their own that raced it.
   */
  private sharedBlockCheck(endpoint: string): Promise<AcquireResult> {
    let check = this.blockChecks.get(endpoint);
    if (!check) {
      check = this.tryAcquire(endpoint, {}, 0).finally(() => this.blockChecks.delete(endpoint));
      this.blockChecks.set(endpoint, check);
    }
    return check;
  }

  /**
   * The provider answered 429: every process stops sending to the endpoint for retryAfterMs
   * (DEFAULT_RETRY_AFTER_MS when the provider gave none) and the effective rate is cut, at most
   * once per DECREASE_WINDOW_MS however many in-flight requests were rejected together. The caller
   * retries the request without spending an attempt.
   */
  async onRateLimited(endpoint: string, limits: EndpointLimits, retryAfterMs: number | undefined, nowMs?: number): Promise<void> {
    await RATE_LIMITED.run(this.redis, [this.keyFor(endpoint)], [
      arg(nowMs),
      arg(positive(limits.rpm)),
      arg(positive(limits.tpm)),
      arg(retryAfterMs),
    ]);
  }

  /**
   * Corrects a token reservation once the real usage is known (providers count what was used,
   * not max_tokens): unused tokens are given back to the schedule, extra ones are charged.
   */
  async settleTokens(endpoint: string, limits: EndpointLimits, reservedTokens: number, actualTokens: number, nowMs?: number): Promise<void> {
    if (positive(limits.tpm) === undefined || reservedTokens === actualTokens) return;
    await SETTLE.run(this.redis, [this.keyFor(endpoint)], [arg(nowMs), arg(limits.tpm), arg(reservedTokens), arg(actualTokens)]);
  }

  /** The Redis key counting one endpoint's waits (kept apart from the scripts' state hash). */
  private waitsKeyFor(endpoint: string): string {
    return `${this.keyPrefix}:waits:${endpoint}`;
  }

  /**
   * Counts a request that had to wait for the endpoint (its rate or a 429's block), in Redis so
   * that the dashboard's /metrics sees what every worker process waited.
   */
  private async recordWait(endpoint: string, waitedMs: number): Promise<void> {
    await this.redis
      .multi()
      .hincrby(this.waitsKeyFor(endpoint), 'waits', 1)
      .hincrby(this.waitsKeyFor(endpoint), 'waitedMs', Math.max(0, Math.round(waitedMs)))
      .pexpire(this.waitsKeyFor(endpoint), WAIT_COUNTS_TTL_MS)
      .exec();
  }

  /** Requests that waited for the endpoint, and how long in all, across every process. */
  async waitTotals(endpoint: string): Promise<RateLimitWaits> {
    const raw = await this.redis.hmget(this.waitsKeyFor(endpoint), 'waits', 'waitedMs');
    return { waits: Number(raw[0] ?? 0), waitedMs: Number(raw[1] ?? 0) };
  }

  /** The endpoint's shared state, for status output and benchmarks. */
  async state(endpoint: string, nowMs?: number): Promise<EndpointRateState> {
    const raw = (await STATE.run(this.redis, [this.keyFor(endpoint)], [arg(nowMs)])) as string[];
    const [now, factor, rpm, tpm, blockedUntil, rateLimited, rateDecreases, lastCut, admitted] = raw.map(String);
    const rateFactor = Number(factor);
    const configuredRpm = optionalNumber(rpm ?? '');
    const configuredTpm = optionalNumber(tpm ?? '');
    return {
      nowMs: Number(now),
      rateFactor,
      effectiveRpm: configuredRpm === null ? null : configuredRpm * rateFactor,
      effectiveTpm: configuredTpm === null ? null : configuredTpm * rateFactor,
      configuredRpm,
      configuredTpm,
      blockedUntil: Number(blockedUntil),
      rateLimited: Number(rateLimited),
      rateDecreases: Number(rateDecreases),
      lastDecreaseAt: optionalNumber(lastCut ?? ''),
      admitted: Number(admitted),
    };
  }

  /** Forgets an endpoint's state (tests, or an operator resetting a learned rate). */
  async reset(endpoint: string): Promise<void> {
    await this.redis.del(this.keyFor(endpoint), this.waitsKeyFor(endpoint));
  }
}
