import type { Redis } from 'ioredis';
import { LuaScript } from '../rate-limit/lua-script';
import { admit, CLOSED, recordAnswer, recordOutage, type Admission, type BreakerPolicy, type BreakerState } from './breaker-machine';
import { BREAKER_IDLE_TTL_MS, CLOSED_CACHE_MS } from './breaker-policy';

/** The state as stored ('' when there is none) and Redis's clock, so that machines' clocks need not agree. */
const READ = new LuaScript(`
local t = redis.call('TIME')
return {redis.call('GET', KEYS[1]) or '', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)}
`);

/** Writes the new state only if the stored one is still the one it was computed from. */
const COMPARE_AND_SET = new LuaScript(`
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`);

function parseState(raw: string): BreakerState {
  if (raw === '') return CLOSED;
  try {
    return { ...CLOSED, ...(JSON.parse(raw) as Partial<BreakerState>) };
  } catch {
    return CLOSED; // a state we cannot read is no reason to stop sending
  }
}

export interface EndpointBreakerOptions {
  /** Namespace of the state keys; default 'tapir:cb'. */
  keyPrefix?: string;
  /** How long a closed state read from Redis is trusted by this process (default CLOSED_CACHE_MS). */
  closedCacheMs?: number;
}

/**
 * One circuit breaker per model endpoint (keyed like the rate limiter, by endpointKey), shared by
 * every worker process through one Redis string. The state machine is breaker-machine.ts; this
 * class only reads a state, applies a step, and writes it back if nobody else wrote in between
 * (optimistic concurrency on a shared connection, where WATCH cannot be used). While the breaker
 * is closed a process asks Redis at most every closedCacheMs, so a healthy endpoint costs no
 * round trip per request.
 */
export class EndpointBreaker {
  private readonly keyPrefix: string;
  private readonly closedCacheMs: number;
  private readonly lastSeen = new Map<string, { state: BreakerState; at: number }>();
  /** Per endpoint, this process's updates one after another: concurrent failures would only collide. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly redis: Redis,
    opts: EndpointBreakerOptions = {},
  ) {
    this.keyPrefix = opts.keyPrefix ?? 'tapir:cb';
    this.closedCacheMs = opts.closedCacheMs ?? CLOSED_CACHE_MS;
  }

  keyFor(endpoint: string): string {
    return `${this.keyPrefix}:${endpoint}`;
  }

  /** May a request to the endpoint go now (see breaker-machine.ts admit)? */
  async admit(endpoint: string, policy: BreakerPolicy): Promise<Admission> {
    const go: Admission = { go: true, probe: false };
    if (this.trustedClosed(endpoint)) return go;
    // Requests queued behind one look share its answer while it says closed.
    return this.update(
      endpoint,
      (state, now) => {
        const step = admit(state, now, policy);
        return { state: step.state, result: step.admission };
      },
      () => (this.trustedClosed(endpoint) ? go : undefined),
    );
  }

  /** An outage error came back from the endpoint; returns the state it left and the shared clock. */
  async recordOutage(endpoint: string, error: string, policy: BreakerPolicy): Promise<{ state: BreakerState; nowMs: number }> {
    return this.update(endpoint, (state, now) => {
      const next = recordOutage(state, now, error.slice(0, 300), policy);
      return { state: next, result: { state: next, nowMs: now } };
    });
  }

  /** The endpoint answered. Costs nothing while this process has just seen it closed and clean. */
  async recordAnswer(endpoint: string): Promise<void> {
    if (this.trustedClean(endpoint)) return;
    // Answers queued behind one that found the breaker clean need not look again.
    await this.update(endpoint, (state) => ({ state: recordAnswer(state), result: true }), () => (this.trustedClean(endpoint) ? true : undefined));
  }

  /** The endpoint's shared state and Redis's clock (status output, tests). */
  async state(endpoint: string): Promise<{ state: BreakerState; nowMs: number }> {
    const [raw, now] = (await READ.run(this.redis, [this.keyFor(endpoint)], [])) as [string, number];
    const state = parseState(raw);
    this.remember(endpoint, state);
    return { state, nowMs: Number(now) };
  }

  /** Forgets the endpoint's history (`tapir resume`: the user says it is fixed). */
  async reset(endpoint: string): Promise<void> {
    await this.redis.del(this.keyFor(endpoint));
    this.lastSeen.delete(endpoint);
  }

  private trustedClean(endpoint: string): boolean {
    return this.trustedClosed(endpoint) && this.lastSeen.get(endpoint)?.state.failures === 0;
  }

  private trustedClosed(endpoint: string): boolean {
    const seen = this.lastSeen.get(endpoint);
    return seen !== undefined && seen.state.phase === 'closed' && Date.now() - seen.at < this.closedCacheMs;
  }

  private remember(endpoint: string, state: BreakerState): void {
    this.lastSeen.set(endpoint, { state, at: Date.now() });
  }

  private update<T>(
    endpoint: string,
    change: (state: BreakerState, now: number) => { state: BreakerState; result: T },
    known?: () => T | undefined,
  ): Promise<T> {
    const previous = this.queues.get(endpoint) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => known?.() ?? this.compareAndSet(endpoint, change));
    this.queues.set(endpoint, run);
    void run.catch(() => undefined).finally(() => {
      if (this.queues.get(endpoint) === run) this.queues.delete(endpoint);
    });
    return run;
  }

  private async compareAndSet<T>(endpoint: string, change: (state: BreakerState, now: number) => { state: BreakerState; result: T }): Promise<T> {
    const key = this.keyFor(endpoint);
    for (;;) {
      const [raw, now] = (await READ.run(this.redis, [key], [])) as [string, number];
      const current = parseState(raw);
      const { state, result } = change(current, Number(now));
      if (state === current) {
        this.remember(endpoint, current);
        return result;
      }
      const written = (await COMPARE_AND_SET.run(this.redis, [key], [raw, JSON.stringify(state), BREAKER_IDLE_TTL_MS])) as number;
      if (written === 1) {
        this.remember(endpoint, state);
        return result;
      }
      // Another process changed the state between our read and write: apply the step to theirs.
    }
  }
}
