import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { startSimulator, type SimulatorOptions } from '@tapir/llm-sim';
import { openPipeline, silentLogger, WorkerHost, type Pipeline, type StepRegistry } from '@tapir/pipeline';

export const ADMIN_DATABASE_URL = process.env.TAPIR_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestEnv {
  databaseUrl: string;
  queuePrefix: string;
  simUrl: string;
  sim: Awaited<ReturnType<typeof startSimulator>>;
  pipeline: Pipeline;
  /** Environment for a child `tapir` process that must use this test's database and queues. */
  childEnv: NodeJS.ProcessEnv;
  startWorkers(concurrency?: number): WorkerHost;
  close(): Promise<void>;
}

/**
 * A fresh database and queue prefix per test file, on the real PostgreSQL and Redis, and a
 * simulator on a random port: tests never share state with each other or with a user's data.
 */
export async function createTestEnv(
  simOptions: SimulatorOptions = {},
  opts: { steps?: StepRegistry; adminDatabaseUrl?: string; redisUrl?: string } = {},
): Promise<TestEnv> {
  const adminUrl = opts.adminDatabaseUrl ?? ADMIN_DATABASE_URL;
  const redisUrl = opts.redisUrl ?? REDIS_URL;
  const suffix = randomBytes(5).toString('hex');
  const dbName = `tapir_test_${suffix}`;
  const databaseUrl = adminUrl.replace(/\/[^/]*$/, `/${dbName}`);
  const queuePrefix = `tapirtest${suffix}`;
  const sim = await startSimulator({ port: 0, ...simOptions });
  process.env.TAPIR_SIM_KEY ??= 'sim-test-key';
  const pipeline = await openPipeline({ databaseUrl, redisUrl, queuePrefix, logger: silentLogger, ...(opts.steps ? { steps: opts.steps } : {}) });
  const hosts: WorkerHost[] = [];
  return {
    databaseUrl,
    queuePrefix,
    simUrl: sim.url,
    sim,
    pipeline,
    childEnv: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, TAPIR_QUEUE_PREFIX: queuePrefix, TAPIR_SIM_KEY: 'sim-test-key' },
    startWorkers(concurrency = 32) {
      const host = new WorkerHost(pipeline.services, pipeline.redis, { concurrency });
      host.start();
      hosts.push(host);
      return host;
    },
    async close() {
      await Promise.all(hosts.map((h) => h.close()));
      await Promise.all(pipeline.services.queues.all().map((q) => q.obliterate({ force: true }).catch(() => undefined)));
      await pipeline.close();
      await sim.close();
      const admin = new Pool({ connectionString: adminUrl, max: 1 });
      await admin.query(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
      await admin.end();
    },
  };
}

/** A config pointing every role at the test's simulator. */
export function simConfigYaml(simUrl: string, extra = ''): string {
  return `
name: e2e
seed: 7
models:
  teacher: { provider: openai, model: sim-teacher, baseURL: ${simUrl}/v1, apiKeyEnv: TAPIR_SIM_KEY, concurrency: 16 }
  student: { provider: openai-compatible, model: sim-student, baseURL: ${simUrl}/v1, concurrency: 16 }
  judge: { provider: anthropic, model: sim-judge, baseURL: ${simUrl}, apiKeyEnv: TAPIR_SIM_KEY, concurrency: 16 }
${extra}
`;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
