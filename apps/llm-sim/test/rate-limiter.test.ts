import { SlidingWindowRateLimiter } from '../src/rate-limiter';

describe('SlidingWindowRateLimiter', () => {
  const limiter = (limits: Record<string, { rpm?: number; tpm?: number }>) => new SlidingWindowRateLimiter((model) => limits[model]);

  test('admits rpm requests per sliding minute and says when the oldest expires', () => {
    const rl = limiter({ m: { rpm: 2 } });
    expect(rl.tryAcquire('m', 0, 1_000).ok).toBe(true);
    expect(rl.tryAcquire('m', 0, 21_000).ok).toBe(true);
    const denied = rl.tryAcquire('m', 0, 30_000);
    expect(denied).toMatchObject({ ok: false, limitType: 'requests', limit: 2, used: 2, retryAfterMs: 31_000 });
    expect(rl.tryAcquire('m', 0, 61_001).ok).toBe(true);
    expect(rl.tryAcquire('m', 0, 61_002).ok).toBe(false);
    expect(rl.tryAcquire('m', 0, 81_001).ok).toBe(true);
  });

  test('snapshots report remaining requests and tokens', () => {
    const rl = limiter({ m: { rpm: 5, tpm: 1000 } });
    const first = rl.tryAcquire('m', 100, 0);
    expect(first.snapshot).toMatchObject({ limitRequests: 5, remainingRequests: 4, limitTokens: 1000, remainingTokens: 900 });
  });

  test('token reservations are settled to actual usage', () => {
    const rl = limiter({ m: { tpm: 1000 } });
    const a = rl.tryAcquire('m', 800, 0);
    expect(rl.tryAcquire('m', 300, 10).ok).toBe(false);
    if (!a.ok) throw new Error('expected admission');
    rl.settle('m', a.ticket, 200, 20);
    expect(rl.tryAcquire('m', 300, 30).ok).toBe(true);
  });

  test('a token-limited request waits until enough old usage expires', () => {
    const rl = limiter({ m: { tpm: 100 } });
    rl.tryAcquire('m', 40, 0);
    rl.tryAcquire('m', 40, 10_000);
    const denied = rl.tryAcquire('m', 50, 20_000);
    expect(denied).toMatchObject({ ok: false, limitType: 'tokens', retryAfterMs: 40_000 });
  });

  test('models without limits are never limited', () => {
    const rl = limiter({});
    for (let i = 0; i < 1000; i++) expect(rl.tryAcquire('free', 10_000, i).ok).toBe(true);
  });

  test('stays correct under long steady load (queue compaction)', () => {
    const rl = limiter({ m: { rpm: 100 } });
    let admitted = 0;
    for (let t = 0; t < 600_000; t += 100) if (rl.tryAcquire('m', 0, t).ok) admitted++;
    expect(admitted).toBe(1000);
  });
});
