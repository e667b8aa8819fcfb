import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import * as schema from './schema';
import { redactUrl, ServiceUnavailableError } from './service-error';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tapir';

export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  db: Db;
  pool: Pool;
  url: string;
  close(): Promise<void>;
}

export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '57P03']);

export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return typeof code === 'string' && CONNECTION_ERROR_CODES.has(code);
}

/** Creates the campaign database when it does not exist yet (a fresh machine has only `postgres`). */
async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const pool = new Pool({ connectionString: admin.toString(), max: 1, connectionTimeoutMillis: 5000 });
  try {
    const found = await pool.query('select 1 from pg_database where datname = $1', [dbName]);
    if (found.rowCount === 0) {
      try {
        await pool.query(`create database "${dbName.replace(/"/g, '""')}"`);
      } catch (err) {
        // Another process created it between our check and our create.
        if ((err as { code?: string }).code !== '42P04' && (err as { code?: string }).code !== '23505') throw err;
      }
    }
  } finally {
    await pool.end();
  }
}

export interface OpenDatabaseOptions {
  url?: string;
  maxConnections?: number;
  /** Skip the create-if-missing step (tests that manage their own databases). */
  assumeExists?: boolean;
}

/**
 * Opens a pool to the campaign database, creating the database if needed. Connection failures
 * become a ServiceUnavailableError that tells the user how to start PostgreSQL.
 */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  const url = opts.url ?? databaseUrlFromEnv();
  try {
    if (!opts.assumeExists) await ensureDatabaseExists(url);
    const pool = new Pool({ connectionString: url, max: opts.maxConnections ?? 10, connectionTimeoutMillis: 10_000 });
    // An idle client losing its server must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    await pool.query('select 1');
    const db = drizzle(pool, { schema });
    return { db, pool, url, close: () => pool.end() };
  } catch (err) {
    if (isConnectionError(err) || (err as Error)?.message?.includes('timeout')) {
      throw new ServiceUnavailableError('PostgreSQL', redactUrl(url), err);
    }
    throw err;
  }
}
