/**
 * An endpoint's circuit breaker as pure functions of its state and the time: no Redis, no clock.
 * The shared store (endpoint-breaker.ts) reads a state, applies one of these, and writes it back
 * only if nobody wrote in between, so that every process runs this one definition.
 *
 * closed ──(openAfterFailures outage errors within failureWindowMs)──▶ open
 * open ──(the probe interval has passed: the next request goes, as the probe)──▶ half_open
 * half_open ──(the probe or any request gets an answer)──▶ closed
 * half_open ──(the probe fails)──▶ open, the probe interval doubled up to maxProbeIntervalMs
 * Any answer closes the breaker from any phase: the endpoint is up.
 */

export type BreakerPhase = 'closed' | 'open' | 'half_open';

export interface BreakerPolicy {
  /** Outage errors in a row (no answer between them) that open the breaker. */
  openAfterFailures: number;
  /** A run of failures older than this starts again: sparse 5xx on a busy endpoint are not an outage. */
  failureWindowMs: number;
  /** The wait before the first probe after opening; doubled after each failed probe. */
  firstProbeAfterMs: number;
  maxProbeIntervalMs: number;
  /** How long a probe holds the half-open breaker: after it, another request may probe (its worker may have died). */
  probeLeaseMs: number;
}

export interface BreakerState {
  phase: BreakerPhase;
  /** Outage errors since the last answer, within the failure window. */
  failures: number;
  firstFailureAt: number | null;
  /** When the endpoint was found down (the breaker opened from closed); kept until it closes. */
  downSince: number | null;
  /** While open: no request before this. */
  nextProbeAt: number;
  probeIntervalMs: number;
  /** While half-open: the probe on the wire holds the endpoint until then. */
  probeLeaseUntil: number;
  /** The last outage error, for the pause message and `tapir status`. */
  lastError: string | null;
  /** Times the breaker opened from closed (for status and tests). */
  opened: number;
}

export type Admission =
  | { go: true; probe: boolean }
  | { go: false; retryInMs: number; downForMs: number; lastError: string | null };

export const CLOSED: BreakerState = Object.freeze({
  phase: 'closed',
  failures: 0,
  firstFailureAt: null,
  downSince: null,
  nextProbeAt: 0,
  probeIntervalMs: 0,
  probeLeaseUntil: 0,
  lastError: null,
  opened: 0,
}) as BreakerState;

/** How long a request turned away from a half-open breaker waits before it asks again: the probe usually answers within it. */
export const HALF_OPEN_RECHECK_MS = 1_000;

/**
 * May a request go now? While closed, always. While open, not before the probe interval has
 * passed; then exactly one request goes as the probe and the breaker is half-open until it
 * settles (or its lease runs out, when the next request probes instead).
 */
export function admit(state: BreakerState, now: number, policy: BreakerPolicy): { state: BreakerState; admission: Admission } {
  if (state.phase === 'closed') return { state, admission: { go: true, probe: false } };
  const downForMs = Math.max(0, now - (state.downSince ?? now));
  if (state.phase === 'open' && now < state.nextProbeAt) {
    return { state, admission: { go: false, retryInMs: state.nextProbeAt - now, downForMs, lastError: state.lastError } };
  }
  if (state.phase === 'half_open' && now < state.probeLeaseUntil) {
    const retryInMs = Math.min(HALF_OPEN_RECHECK_MS, state.probeLeaseUntil - now);
    return { state, admission: { go: false, retryInMs, downForMs, lastError: state.lastError } };
  }
  return { state: { ...state, phase: 'half_open', probeLeaseUntil: now + policy.probeLeaseMs }, admission: { go: true, probe: true } };
}

/** An outage error (unreachable or failing, see endpoint-fault.ts) came back. */
export function recordOutage(state: BreakerState, now: number, error: string, policy: BreakerPolicy): BreakerState {
  if (state.phase === 'open') return { ...state, lastError: error };
  if (state.phase === 'half_open') {
    const probeIntervalMs = Math.min(policy.maxProbeIntervalMs, Math.max(policy.firstProbeAfterMs, state.probeIntervalMs * 2));
    return { ...state, phase: 'open', nextProbeAt: now + probeIntervalMs, probeIntervalMs, probeLeaseUntil: 0, lastError: error };
  }
  const inWindow = state.firstFailureAt !== null && now - state.firstFailureAt <= policy.failureWindowMs;
  const failures = inWindow ? state.failures + 1 : 1;
  const firstFailureAt = inWindow ? state.firstFailureAt : now;
  if (failures < policy.openAfterFailures) return { ...state, failures, firstFailureAt, lastError: error };
  return {
    phase: 'open',
    failures,
    firstFailureAt,
    downSince: now,
    nextProbeAt: now + policy.firstProbeAfterMs,
    probeIntervalMs: policy.firstProbeAfterMs,
    probeLeaseUntil: 0,
    lastError: error,
    opened: state.opened + 1,
  };
}

/** The endpoint answered (any HTTP reply that is not an outage): it is up. */
export function recordAnswer(state: BreakerState): BreakerState {
  if (state.phase === 'closed' && state.failures === 0) return state;
  return { ...CLOSED, opened: state.opened };
}

/** How long the endpoint has been down at `now`; 0 while closed. */
export function downForMs(state: BreakerState, now: number): number {
  return state.phase === 'closed' || state.downSince === null ? 0 : Math.max(0, now - state.downSince);
}
