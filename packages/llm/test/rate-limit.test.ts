import { SlidingWindowRateLimiter } from '../../../apps/llm-sim/src/rate-limiter';
import { rateLimitFixture, T0 } from './rate-limit-fixture';
import { EndpointRateLimiter, rateLimitPolicy as policy } from '../src/rate-limit';

/**
 * Behaviour of the shared limiter on the real Redis. The clock is always passed explicitly
 * (nowMs), so nothing here depends on how fast the machine is.
 */
const { prefix, limiter, prefixKeys, rl, redis } = rateLimitFixture();

/** Most requests in any 60 s window of these (sorted) times. */
function busiestMinute(times: readonly number[]): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[j] as number) <= (times[i] as number) - 60_000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}


jest.setTimeout(60_000);

describe('request pacing (GCRA)', () => {
  test('rpm 600 with a request every ms: ~591 + burst per minute, never a full sliding window', async () => {
    const limits = { rpm: 600 };
    const provider = new SlidingWindowRateLimiter(() => limits);
    const admitted: number[] = [];
    let refused = 0;
    for (let t = T0; t < T0 + 60_000; t++) {
      if (!(await rl.tryAcquire('pace', limits, 0, t)).ok) continue;
      admitted.push(t);
      if (!provider.tryAcquire('m', 0, t).ok) refused++;
    }
    // 0.985 x 600 = 591 on schedule, plus what the 300 ms tolerance lets through at once.
    expect(admitted.length).toBeGreaterThanOrEqual(591);
    expect(admitted.length).toBeLessThanOrEqual(591 + Math.ceil(policy.BURST_TOLERANCE_MS / 100) + 1);
    expect(busiestMinute(admitted)).toBeLessThanOrEqual(600);
    expect(refused).toBe(0);
  });

  test('a refusal says how long to wait, and waiting that long is enough', async () => {
    const limits = { rpm: 60 };
    expect(await rl.tryAcquire('wait', limits, 0, T0)).toEqual({ ok: true });
    const refused = await rl.tryAcquire('wait', limits, 0, T0 + 1);
    if (refused.ok) throw new Error('expected a refusal');
    // One interval at 0.985 x 60/min is 1015.2 ms, minus the 300 ms tolerance.
    expect(refused.retryInMs).toBe(Math.ceil(60_000 / (policy.SCHEDULE_FRACTION * 60) - policy.BURST_TOLERANCE_MS) - 1);
    expect((await rl.tryAcquire('wait', limits, 0, T0 + 1 + refused.retryInMs - 1)).ok).toBe(false);
    expect((await rl.tryAcquire('wait', limits, 0, T0 + 1 + refused.retryInMs)).ok).toBe(true);
  });

  test('an endpoint without limits is never refused and leaves no state behind', async () => {
    for (let i = 0; i < 50; i++) expect((await rl.tryAcquire('free', {}, 1e6, T0)).ok).toBe(true);
    expect(await redis.exists(rl.keyFor('free'))).toBe(0);
  });
});

describe('several processes share one limit', () => {
  test('four limiters on four connections, 200 requests at the same instant: exactly the burst goes', async () => {
    const processes = [limiter(), limiter(), limiter(), limiter()];
    const limits = { rpm: 6000 };
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (processes[i % 4] as EndpointRateLimiter).tryAcquire('shared-burst', limits, 0, T0)),
    );
    // Interval 10.15 ms, tolerance 300 ms: 1 + floor(300 / 10.15) = 30.
    const interval = 60_000 / (policy.SCHEDULE_FRACTION * 6000);
    expect(results.filter((r) => r.ok).length).toBe(1 + Math.floor(policy.BURST_TOLERANCE_MS / interval));
  });

  test('interleaved processes over a minute admit what one process would', async () => {
    const processes = [limiter(), limiter(), limiter()];
    const limits = { rpm: 1200 };
    const admitted: number[] = [];
    for (let t = T0; t < T0 + 60_000; t += 5) {
      for (const p of processes) if ((await p.tryAcquire('shared-minute', limits, 0, t)).ok) admitted.push(t);
    }
    expect(admitted.length).toBeGreaterThanOrEqual(Math.floor(0.985 * 1200));
    expect(busiestMinute(admitted)).toBeLessThanOrEqual(1200);
    expect((await processes[0]!.state('shared-minute', T0 + 60_000)).admitted).toBe(admitted.length);
  });
});

describe('tokens per minute', () => {
  test('token reservations are paced to tpm in every sliding minute', async () => {
    const limits = { tpm: 60_000 };
    const provider = new SlidingWindowRateLimiter(() => limits);
    let admitted = 0;
    let refused = 0;
    for (let t = T0; t < T0 + 180_000; t += 10) {
      if (!(await rl.tryAcquire('tokens', limits, 1000, t)).ok) continue;
      admitted++;
      if (!provider.tryAcquire('m', 1000, t).ok) refused++;
    }
    expect(admitted).toBeGreaterThanOrEqual(Math.floor(3 * 0.985 * 60));
    expect(admitted).toBeLessThanOrEqual(3 * 60);
    expect(refused).toBe(0);
  });

  test('a request bigger than a minute of tokens still goes, and holds the endpoint for one minute only', async () => {
    const limits = { tpm: 10_000 };
    expect((await rl.tryAcquire('huge', limits, 1_000_000, T0)).ok).toBe(true);
    const next = await rl.tryAcquire('huge', limits, 10, T0 + 1);
    if (next.ok) throw new Error('expected a refusal');
    const minute = 60_000 / policy.SCHEDULE_FRACTION;
    expect(next.retryInMs).toBeGreaterThan(minute - policy.BURST_TOLERANCE_MS - 10);
    expect(next.retryInMs).toBeLessThan(minute);
  });

  test('large requests are not starved by small ones', async () => {
    const limits = { tpm: 30_000 };
    const sizes = [200, 200, 200, 4000];
    const nextTry = sizes.map(() => T0);
    const admittedBy = sizes.map(() => 0);
    let turn = 0; // workers that ask at the same instant take turns, as jitter would make them
    while (Math.min(...nextTry) < T0 + 300_000) {
      const earliest = Math.min(...nextTry);
      const tied = sizes.map((_, i) => i).filter((i) => nextTry[i] === earliest);
      const who = tied.find((i) => i >= turn) ?? (tied[0] as number);
      const result = await rl.tryAcquire('starve', limits, sizes[who] as number, earliest);
      if (result.ok) {
        admittedBy[who]!++;
        turn = (who + 1) % sizes.length;
      }
      nextTry[who] = earliest + (result.ok ? 1 : result.retryInMs);
    }
    // A request may go once the schedule has caught up, whatever its size: the 4,000-token
    // worker gets about as many turns as each 200-token one (it just uses more of the minute).
    expect(admittedBy[3]).toBeGreaterThanOrEqual(Math.min(...admittedBy.slice(0, 3)) * 0.8);
    expect(admittedBy[3]).toBeGreaterThan(0);
  });

  test('settling a reservation to the real usage gives the unused tokens back', async () => {
    const limits = { tpm: 20_000 };
    for (const endpoint of ['settle-kept', 'settle-given-back']) {
      expect((await rl.tryAcquire(endpoint, limits, 10_000, T0)).ok).toBe(true);
    }
    await rl.settleTokens('settle-given-back', limits, 10_000, 1_000, T0 + 100);
    const kept = await rl.tryAcquire('settle-kept', limits, 100, T0 + 200);
    const givenBack = await rl.tryAcquire('settle-given-back', limits, 100, T0 + 200);
    expect(kept.ok).toBe(false);
    expect(givenBack.ok).toBe(false);
    if (kept.ok || givenBack.ok) return;
    // 9,000 tokens at 0.985 x 20,000/min are ~27.4 s of schedule.
    expect(kept.retryInMs - givenBack.retryInMs).toBeCloseTo((9000 * 60_000) / (policy.SCHEDULE_FRACTION * 20_000), -1);
  });
});
