import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);

/**
 * PostgreSQL and Redis servers of a test's own, on free ports in a temporary directory, for
 * faults that would hurt other users of the shared ones: a PostgreSQL restart, a FLUSHALL.
 */

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface PrivatePostgres {
  url(database: string): string;
  /** A real restart: every connection is cut, the server stops, and starts again after `downMs`. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

async function postgresBinDir(): Promise<string | undefined> {
  const root = '/usr/lib/postgresql';
  const versions = await readdir(root).catch(() => [] as string[]);
  const newest = versions.filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))[0];
  return newest ? join(root, newest, 'bin') : undefined;
}

/**
 * initdb refuses to run as root; as root the server runs as the `postgres` system user (through
 * runuser), otherwise as the current user. Resolves to a reason instead when it cannot start here.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres | string> {
  const bin = await postgresBinDir();
  if (!bin) return 'no PostgreSQL server binaries under /usr/lib/postgresql/*/bin';
  const asRoot = userInfo().uid === 0;
  const dir = await mkdtemp(join(tmpdir(), 'tapir-private-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    try {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      await chown(dir, Number(stdout.trim()), Number(gid.trim()));
    } catch {
      await rm(dir, { recursive: true, force: true });
      return 'running as root and there is no `postgres` user to run initdb as';
    }
  }
  const pg = (tool: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args));
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  try {
    await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    await pg('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    return `initdb/pg_ctl could not start a private server: ${(err as Error).message.split('\n')[0]}`;
  }
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async restart(downMs) {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      await new Promise((r) => setTimeout(r, downMs));
      await pg('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
    },
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  url: string;
  client: Redis;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'tapir-private-redis-'));
  const server: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  let client: Redis;
  for (let attempt = 0; ; attempt++) {
    const candidate = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    try {
      await candidate.connect();
      await candidate.ping();
      client = candidate;
      break;
    } catch (err) {
      candidate.disconnect();
      if (attempt > 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    client,
    async stop() {
      client.disconnect();
      server.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
