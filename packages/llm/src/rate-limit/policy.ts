/**
 * The tuning constants of the shared rate limiter, in one place: the Lua scripts are generated
 * from these values, so the scripts and the documentation cannot drift apart.
 *
 * The figures were tuned in a simulation (packages/llm/test/rate-limit-simulation.test.ts runs
 * the same scenarios through Redis against the simulator's own sliding-window limiter):
 *  (a) limit 1,200/min, config 1,200: 0.985 of the limit sustained, busiest 60 s window 1,188,
 *      no 429;
 *  (b) limit 1,200/min, config 2,000: >= 0.99 of the real limit after the first minute with
 *      well under 1% of requests answered 429.
 */

/**
 * Requests and tokens are scheduled at this fraction of the effective limit. A provider counts a
 * sliding 60 s window, and our admissions reach it with a little network jitter, so we keep 1.5%
 * of the minute (~900 ms) in hand: with BURST_TOLERANCE_MS below, the busiest 60 s window holds at
 * most floor(0.985 * 1.005 * rpm) + 1 <= rpm requests, leaving ~600 ms for jitter. 0.985 is also
 * comfortably above the 0.97 throughput target.
 */
export const SCHEDULE_FRACTION = 0.985;

/**
 * GCRA burst tolerance: how far ahead of its schedule a request may go. 300 ms lets a handful of
 * workers start together (6 requests at once at 1,200/min) without eating the jitter margin; it
 * must stay below 60 000 * (1 / SCHEDULE_FRACTION - 1) ~= 914 ms or a sliding window overflows.
 */
export const BURST_TOLERANCE_MS = 300;

/** Block for this long after a 429 that carried no retry-after. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

/** A retry-after beyond this is clamped: a bogus header must not park every worker for hours. */
export const MAX_BLOCK_MS = 10 * 60_000;

/**
 * On a 429 the effective rate is multiplied by this. 0.9 rather than TCP's 0.5: a provider's
 * window remembers a whole minute, so the block (retry-after) already absorbs the overload; the
 * cut only has to get the schedule under the real limit, and a gentle cut wastes less of it.
 */
export const DECREASE_FACTOR = 0.9;

/**
 * 429s within this long of the last cut are the same event: dozens of in-flight requests are
 * rejected together, and counting each would collapse the rate.
 */
export const DECREASE_WINDOW_MS = 1_000;

/** The effective rate never falls below this fraction of the configured rate. */
export const MIN_RATE_FRACTION = 0.05;

/**
 * Recovery, as fractions of the configured rate. After a cut the rate climbs quickly (FAST per
 * second) back to RECLIMB_FRACTION of the rate at which the 429 happened (the last good ceiling
 * estimate), then probes beyond it slowly (SLOW per second, accelerating by ACCEL per second
 * squared). The plateau keeps a misconfigured endpoint near its real limit instead of sawing
 * between 0.9x and 1.2x of it; the acceleration makes sure that spurious 429s (which say nothing
 * about our rate) cannot ratchet the rate down for good: from the plateau, the configured rate is
 * back within ~17 s (5% gap) to ~80 s (50% gap).
 */
export const RECLIMB_FRACTION = 0.95;
export const RECOVERY_FAST_PER_S = 0.02;
export const RECOVERY_SLOW_PER_S = 0.002;
export const RECOVERY_ACCEL_PER_S2 = 0.0001;

/**
 * An endpoint's state lives this long after its last use (beyond any schedule or block still in
 * the future), so a learned rate survives short pauses while idle endpoints leave nothing behind.
 */
export const IDLE_TTL_MS = 10 * 60_000;

/** acquire() re-checks at least this often, so a recovering rate or a new config is noticed. */
export const MAX_SLEEP_MS = 5_000;

/**
 * The wait counters (for /metrics) live this long after the last wait: a week covers a long
 * campaign's quiet spells, and Prometheus reads their eventual disappearance as a counter reset.
 */
export const WAIT_COUNTS_TTL_MS = 7 * 24 * 3600_000;
