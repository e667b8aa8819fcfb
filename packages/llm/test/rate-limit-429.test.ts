import { rateLimitFixture, T0 } from './rate-limit-fixture';
import { rateLimitPolicy as policy, type EndpointLimits } from '../src/rate-limit';

/**
 * What a 429 does to the shared limiter (block, adaptive rate) and how long its state lives, on
 * the real Redis. The clock is passed explicitly (nowMs) except where production's use of the
 * Redis clock is the point; no assertion depends on how fast the machine is.
 */
const { limiter, connectedLimiter, prefixKeys, rl, redis } = rateLimitFixture();


jest.setTimeout(60_000);

describe('429: block every process for the retry-after', () => {
  test('blocks until now + retry-after, then resumes one request at a time', async () => {
    const [a, b] = [limiter(), limiter()];
    const limits = { rpm: 1200 };
    await a.onRateLimited('block', limits, 5000, T0);
    expect(await b.tryAcquire('block', limits, 0, T0 + 1)).toEqual({ ok: false, retryInMs: 4999 });
    expect((await b.tryAcquire('block', limits, 0, T0 + 4999)).ok).toBe(false);
    expect((await b.tryAcquire('block', limits, 0, T0 + 5000)).ok).toBe(true);
    // No burst into a window that has just said "full": the next one waits an interval.
    expect((await a.tryAcquire('block', limits, 0, T0 + 5000)).ok).toBe(false);
  });

  test('without a retry-after the block lasts the default; a shorter later one does not shorten it', async () => {
    await rl.onRateLimited('block-default', {}, undefined, T0);
    expect((await rl.state('block-default', T0)).blockedUntil).toBe(T0 + policy.DEFAULT_RETRY_AFTER_MS);
    await rl.onRateLimited('block-longest', {}, 30_000, T0);
    await rl.onRateLimited('block-longest', {}, 1_000, T0 + 10);
    expect(await rl.tryAcquire('block-longest', {}, 0, T0 + 20_000)).toEqual({ ok: false, retryInMs: 10_000 });
  });

  test('endpoints without configured limits are blocked too, but keep no rate to cut', async () => {
    await rl.onRateLimited('block-unlimited', {}, 2000, T0);
    expect(await rl.tryAcquire('block-unlimited', {}, 0, T0 + 500)).toEqual({ ok: false, retryInMs: 1500 });
    expect((await rl.tryAcquire('block-unlimited', {}, 0, T0 + 2000)).ok).toBe(true);
    expect(await rl.state('block-unlimited', T0 + 2000)).toMatchObject({ rateFactor: 1, rateDecreases: 0, rateLimited: 1, effectiveRpm: null });
  });

  test('a retry-after of hours is clamped', async () => {
    await rl.onRateLimited('block-clamped', {}, 6 * 3600_000, T0);
    expect((await rl.state('block-clamped', T0)).blockedUntil).toBe(T0 + policy.MAX_BLOCK_MS);
  });
});

describe('429: adaptive rate', () => {
  const limits: EndpointLimits = { rpm: 1000 };

  test('a burst of 429s within a second is one cut', async () => {
    await rl.tryAcquire('cut', limits, 0, T0);
    for (let i = 0; i < 20; i++) await rl.onRateLimited('cut', limits, 100, T0 + i * 40);
    const state = await rl.state('cut', T0 + 800);
    expect(state).toMatchObject({ rateLimited: 20, rateDecreases: 1, configuredRpm: 1000, lastDecreaseAt: T0 });
    expect(state.rateFactor).toBeCloseTo(policy.DECREASE_FACTOR + policy.RECOVERY_FAST_PER_S * 0.8, 6);
    await rl.onRateLimited('cut', limits, 100, T0 + policy.DECREASE_WINDOW_MS);
    expect((await rl.state('cut', T0 + policy.DECREASE_WINDOW_MS)).rateDecreases).toBe(2);
  });

  test('the rate recovers quickly to just below the ceiling, then slowly up to the config', async () => {
    await rl.tryAcquire('recover', limits, 0, T0);
    await rl.onRateLimited('recover', limits, 100, T0);
    const at = async (s: number) => (await rl.state('recover', T0 + s * 1000)).effectiveRpm as number;
    expect(await at(0)).toBeCloseTo(900, 6);
    expect(await at(2.5)).toBeCloseTo(950, 6); // 0.9 -> 0.95 at +2% per second
    const afterTen = 950 + 1000 * (policy.RECOVERY_SLOW_PER_S * 7.5 + (policy.RECOVERY_ACCEL_PER_S2 * 7.5 * 7.5) / 2);
    expect(await at(10)).toBeCloseTo(afterTen, 2);
    expect(await at(30)).toBe(1000);
  });

  test('the pace follows the effective rate', async () => {
    const count = async (endpoint: string) => {
      let admitted = 0;
      for (let t = T0; t < T0 + 5000; t++) if ((await rl.tryAcquire(endpoint, { rpm: 600 }, 0, t)).ok) admitted++;
      return admitted;
    };
    await rl.onRateLimited('pace-cut', { rpm: 600 }, 0, T0);
    // On schedule: one per 101.5 ms, and the 300 ms tolerance lets the first few go at once.
    const interval = 60_000 / (policy.SCHEDULE_FRACTION * 600);
    expect(await count('pace-uncut')).toBe(Math.ceil((5000 + policy.BURST_TOLERANCE_MS) / interval));
    // After the cut the rate climbs 0.90 -> 0.95 in 2.5 s and barely beyond by 5 s (4.69 s of
    // full-rate schedule in 5 s), and the restart after the block is not a burst.
    expect(await count('pace-cut')).toBe(1 + Math.floor((4.69 * 1000) / interval));
  });

  test('however many 429s, the rate stays above its floor', async () => {
    await rl.tryAcquire('floor', limits, 0, T0);
    for (let i = 0; i < 100; i++) await rl.onRateLimited('floor', limits, 0, T0 + i * policy.DECREASE_WINDOW_MS);
    const state = await rl.state('floor', T0 + 99 * policy.DECREASE_WINDOW_MS);
    expect(state.rateDecreases).toBe(100);
    // A 429 every second walks the ceiling down (each climb stops at 0.95 x the last one) until
    // the floor holds it.
    expect(state.rateFactor).toBeGreaterThanOrEqual(policy.MIN_RATE_FRACTION);
    expect(state.rateFactor).toBeLessThan(policy.MIN_RATE_FRACTION + 0.01);
  });
});

describe('state lifetime', () => {
  test('keys expire once the schedule and any block are past, plus the idle TTL', async () => {
    await rl.tryAcquire('ttl', { rpm: 60 }, 0);
    const pacedTtl = await redis.pttl(rl.keyFor('ttl'));
    expect(pacedTtl).toBeGreaterThan(policy.IDLE_TTL_MS - 5_000);
    expect(pacedTtl).toBeLessThanOrEqual(policy.IDLE_TTL_MS + 1_100);
    await rl.onRateLimited('ttl', { rpm: 60 }, 120_000);
    expect(await redis.pttl(rl.keyFor('ttl'))).toBeGreaterThan(policy.IDLE_TTL_MS + 110_000);
  });

  test('acquire() waits out a block; an aborted wait rejects', async () => {
    await rl.onRateLimited('acquire', {}, 30); // Redis's own clock, as in production
    await expect(rl.acquire('acquire', {}, 0)).resolves.toBeGreaterThanOrEqual(0);
    await rl.onRateLimited('acquire', {}, 60_000);
    const controller = new AbortController();
    const waiting = rl.acquire('acquire', {}, 0, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow();
  });

  test('a request that had to wait is counted with its wait, in Redis for every process to read; one that did not is not', async () => {
    const [a, b] = [limiter(), limiter()];
    await a.acquire('waits', {}, 0);
    expect(await b.waitTotals('waits')).toEqual({ waits: 0, waitedMs: 0 });
    await a.onRateLimited('waits', {}, 1000); // Redis's own clock, as in production
    const waited = await a.acquire('waits', {}, 0);
    expect(waited).toBeGreaterThan(0);
    const totals = await b.waitTotals('waits');
    expect(totals.waits).toBe(1);
    expect(totals.waitedMs).toBeGreaterThan(0);
    expect(await redis.pttl(rl.keyFor('waits').replace(/:waits$/, ':waits:waits'))).toBeGreaterThan(policy.IDLE_TTL_MS);
  });

  test('without limits, concurrent acquires share block checks: fewer scripts than callers, and a block holds them all', async () => {
    // Counts the scripts this limiter sends to the real Redis.
    const { limiter: shared, connection } = connectedLimiter();
    let scripts = 0;
    const evalsha = connection.evalsha.bind(connection);
    connection.evalsha = ((...args: Parameters<typeof evalsha>) => {
      scripts++;
      return evalsha(...args);
    }) as typeof connection.evalsha;

    const waited = await Promise.all(Array.from({ length: 100 }, () => shared.acquire('shared-check', {}, 0)));
    expect(waited).toHaveLength(100);
    expect(scripts).toBeGreaterThanOrEqual(1);
    expect(scripts).toBeLessThan(20);

    // Limited endpoints reserve per request: every caller runs its own script.
    scripts = 0;
    await Promise.all(Array.from({ length: 20 }, () => shared.acquire('own-check', { rpm: 600_000 }, 0)));
    expect(scripts).toBe(20);

    await shared.onRateLimited('shared-check', {}, 300);
    const started = Date.now();
    await Promise.all(Array.from({ length: 50 }, () => shared.acquire('shared-check', {}, 0)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
