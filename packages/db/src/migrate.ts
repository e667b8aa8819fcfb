import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './connection';

/** Arbitrary constant: the advisory lock id that serialises migrations across processes. */
const MIGRATION_LOCK_ID = 7_402_113_911;

export function migrationsFolder(): string {
  // packages/db/{src,dist}/migrate -> repository root migrations/
  const candidates = [resolve(__dirname, '../../../migrations'), resolve(process.cwd(), 'migrations')];
  const found = candidates.find((dir) => existsSync(resolve(dir, 'meta/_journal.json')));
  if (!found) throw new Error(`tapir migrations not found (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so that several workers starting
 * at once do not race; the ones that wait find nothing left to do.
 */
export async function runMigrations(database: Database): Promise<void> {
  const client = await database.pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await migrate(database.db, { migrationsFolder: migrationsFolder() });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}
