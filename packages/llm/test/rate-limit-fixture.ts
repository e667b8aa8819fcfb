import { randomBytes } from 'node:crypto';
import IORedis, { type Redis } from 'ioredis';
import { EndpointRateLimiter } from '../src/rate-limit';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fixed clock origin for tests that pass nowMs explicitly. */
export const T0 = 1_700_000_000_000;

/**
 * Limiters on the real Redis under a fresh key prefix, each on its own connection (as separate
 * worker processes would be), and a check at the end that every key they left is expiring.
 */
export function rateLimitFixture() {
  const prefix = `tapirtest:rl:${randomBytes(5).toString('hex')}`;
  const connections: Redis[] = [];

  /** A limiter and its own connection, for tests that watch what it sends; closed by the fixture. */
  function connectedLimiter(): { limiter: EndpointRateLimiter; connection: Redis } {
    const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
    connections.push(connection);
    return { limiter: new EndpointRateLimiter(connection, { keyPrefix: prefix }), connection };
  }

  function limiter(): EndpointRateLimiter {
    return connectedLimiter().limiter;
  }

  async function prefixKeys(redis: Redis): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  }

  const rl = limiter();
  const redis = connections[0] as Redis;

  afterAll(async () => {
    // Every key the limiter left behind must be on its way out.
    const keys = await prefixKeys(redis);
    const ttls = await Promise.all(keys.map((k) => redis.pttl(k)));
    if (keys.length > 0) await redis.del(...keys);
    await Promise.all(connections.map((c) => c.quit()));
    expect(ttls.every((ttl) => ttl > 0)).toBe(true);
  });

  return { prefix, limiter, connectedLimiter, prefixKeys, rl, redis };
}
