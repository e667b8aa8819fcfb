import { openDatabase, runMigrations, type Database } from '@tapir/db';
import { openPipeline, createLogger, type Pipeline } from '@tapir/pipeline';

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

export async function withPipeline<T>(logLevel: string, fn: (pipeline: Pipeline) => Promise<T>): Promise<T> {
  const pipeline = await openPipeline({ logger: createLogger(logLevel) });
  try {
    return await fn(pipeline);
  } finally {
    await pipeline.close();
  }
}
