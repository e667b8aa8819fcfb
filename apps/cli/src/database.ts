import { openDatabase, runMigrations, type Database } from '@tapir/db';
import type { Logger, Pipeline } from '@tapir/pipeline';

/** Commands that only read or write PostgreSQL do not need Redis to be up. */
export async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase();
  try {
    await runMigrations(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** `log`: a level for JSON lines on stderr, or a logger routed elsewhere (the live view's log file). */
export async function withPipeline<T>(log: string | Logger, fn: (pipeline: Pipeline) => Promise<T>): Promise<T> {
  // Loaded here: commands that only need withDatabase (campaign create) do not load the queues (see lazy-action.ts).
  const { openPipeline, createLogger } = require('@tapir/pipeline') as typeof import('@tapir/pipeline');
  const pipeline = await openPipeline({ logger: typeof log === 'string' ? createLogger(log) : log });
  try {
    return await fn(pipeline);
  } finally {
    await pipeline.close();
  }
}
