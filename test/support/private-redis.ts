import { spawn, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from './free-port';

export interface PrivateRedis {
  url: string;
  /** FLUSHALL: every key of this server, the rate limiter's included, as a real Redis loss. */
  flushAll(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free port, without persistence: a scenario can wipe it
 * entirely without touching the machine's Redis that other tests and helpers use.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if (admin.status !== 'ready') await admin.connect().catch(() => undefined);
      if ((await admin.ping()) === 'PONG') break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`private redis-server on port ${port} did not answer: ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async flushAll() {
      const keys = await admin.dbsize();
      await admin.flushall();
      return keys;
    },
    async stop() {
      admin.disconnect();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
