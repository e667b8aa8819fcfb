import { openDatabase, runMigrations, type Database } from '@tapir/db';
import { ledgerLeaseMs, LlmLedger } from '@tapir/ledger';
import { EndpointBreaker, EndpointRateLimiter } from '@tapir/llm';
import type { Redis } from 'ioredis';
import { CampaignGate } from './campaign-gate';
import { CampaignRegistry } from './campaign-registry';
import { createLogger, type Logger } from './logger';
import { QueueSet } from './queue-set';
import { openRedis, redisUrlFromEnv } from './redis';
import type { PipelineServices } from './services';
import { defaultStepRegistry } from './steps/registry';
import type { StepRegistry } from './steps/step-registry';

export interface Pipeline {
  services: PipelineServices;
  database: Database;
  redis: Redis;
  close(): Promise<void>;
}

export interface OpenPipelineOptions {
  databaseUrl?: string;
  redisUrl?: string;
  /** Queue name prefix; tests use a fresh one each so that they never share queues. */
  queuePrefix?: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** The steps to run; tapir's own unless a test brings a registry with a step of its own. */
  steps?: StepRegistry;
}

/** Connects to both services (PostgreSQL first, migrated), and builds the services object. */
export async function openPipeline(opts: OpenPipelineOptions = {}): Promise<Pipeline> {
  const database = await openDatabase(opts.databaseUrl ? { url: opts.databaseUrl } : {});
  try {
    await runMigrations(database);
    const ledger = new LlmLedger(database.db, { leaseMs: ledgerLeaseMs(opts.env ?? process.env) });
    const redis = await openRedis(opts.redisUrl ?? redisUrlFromEnv());
    const steps = opts.steps ?? defaultStepRegistry;
    const queues = new QueueSet(redis, opts.queuePrefix ?? process.env.TAPIR_QUEUE_PREFIX ?? 'tapir', steps);
    const services: PipelineServices = {
      db: database.db,
      queues,
      registry: new CampaignRegistry(database.db, opts.env ?? process.env),
      gate: new CampaignGate(database.db),
      ledger,
      rateLimiter: new EndpointRateLimiter(redis),
      breaker: new EndpointBreaker(redis),
      logger: opts.logger ?? createLogger(),
      steps,
    };
    return {
      services,
      database,
      redis,
      async close() {
        await queues.close();
        ledger.close();
        redis.disconnect();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
