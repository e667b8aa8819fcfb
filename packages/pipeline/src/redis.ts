import IORedis, { type Redis } from 'ioredis';
import { redactUrl, ServiceUnavailableError } from '@tapir/db';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function redisUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_URL?.trim() || DEFAULT_REDIS_URL;
}

/**
 * A BullMQ-ready connection (maxRetriesPerRequest null, as workers require). The first ping
 * fails fast with a ServiceUnavailableError that says how to start Redis.
 */
export async function openRedis(url: string = redisUrlFromEnv()): Promise<Redis> {
  const probe = new IORedis(url, { maxRetriesPerRequest: 1, connectTimeout: 3000, lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new ServiceUnavailableError('Redis', redactUrl(url), err);
  } finally {
    probe.disconnect();
  }
  const connection = new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  connection.on('error', () => undefined); // ioredis reconnects by itself; BullMQ surfaces lasting failures
  return connection;
}
