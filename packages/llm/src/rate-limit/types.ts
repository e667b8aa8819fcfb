/** Limits of one model endpoint from the config; an absent (or non-positive) value is not limited. */
export interface EndpointLimits {
  rpm?: number | undefined;
  tpm?: number | undefined;
}

export type AcquireResult = { ok: true } | { ok: false; retryInMs: number };

/** One endpoint's shared state, for status output and benchmarks. Times are epoch ms. */
export interface EndpointRateState {
  /** The clock the state was read at: Redis server time unless the caller passed one. */
  nowMs: number;
  /** 1 = the configured rate; lowered by 429s, recovering over time. */
  rateFactor: number;
  /** rateFactor x the configured rpm (as last seen by tryAcquire); null when rpm is not limited. */
  effectiveRpm: number | null;
  effectiveTpm: number | null;
  configuredRpm: number | null;
  configuredTpm: number | null;
  /** No process sends to the endpoint before this (0 = never blocked). */
  blockedUntil: number;
  /** 429s reported by any process. */
  rateLimited: number;
  /** 429 events that cut the rate (several 429s within a second are one event). */
  rateDecreases: number;
  lastDecreaseAt: number | null;
  /** Requests admitted by any process while the state existed. */
  admitted: number;
}

/** Requests that had to wait for an endpoint (its pace or a 429's block), counted by every process. */
export interface RateLimitWaits {
  waits: number;
  waitedMs: number;
}
