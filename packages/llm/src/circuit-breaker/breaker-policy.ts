import type { BreakerPolicy } from './breaker-machine';

/**
 * The breaker's defaults. Five outage errors in a row within 30 s: a busy endpoint that drops a
 * request now and then (the fault suite injects 5% 5xx and 2% timeouts) almost never strings five
 * together without an answer between them, while a dead endpoint does so within its first burst
 * of requests. Probes start a second after opening and back off to one every 10 s, so an endpoint
 * that comes back is in use again within ~10 s, and a dead one costs one refused connection per
 * 10 s for the whole fleet.
 */
export const DEFAULT_BREAKER_POLICY: BreakerPolicy = Object.freeze({
  openAfterFailures: 5,
  failureWindowMs: 30_000,
  firstProbeAfterMs: 1_000,
  maxProbeIntervalMs: 10_000,
  probeLeaseMs: 30_000,
});

/** A breaker's state outlives its last change by this much (an endpoint nobody uses leaves nothing behind). */
export const BREAKER_IDLE_TTL_MS = 24 * 60 * 60_000;

/** A process trusts its last look at a closed breaker this long before asking Redis again. */
export const CLOSED_CACHE_MS = 250;
