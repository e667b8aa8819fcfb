import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import * as schema from './schema';
import { redactUrl, ServiceUnavailableError } from './service-error';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/tapir';

/** The drizzle database; `$client` is its pg Pool, for the few hot-path statements written as prepared SQL. */
export type Db = NodePgDatabase<typeof schema> & { $client: Pool };
/** The handle a `db.transaction(...)` callback receives. */
export type DbTransaction = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  pool: Pool;
  url: string;
  close(): Promise<void>;
}

export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const CONNECTION_ERROR_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|is not currently accepting connections|terminating connection due to administrator command/i;

/** PostgreSQL could not be reached or went away: waiting and trying again can help. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string; cause?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && CONNECTION_ERROR_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && CONNECTION_ERROR_MESSAGES.test(e.message)) return true;
  // drizzle wraps driver errors ("Failed query: ...") with the driver's error as the cause.
  return e.cause !== undefined && e.cause !== err && isConnectionError(e.cause);
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
    // A client losing its server (restart, admin termination) must not crash the process: idle
    // clients report on the pool, checked-out ones on themselves; the next query reconnects.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    await pool.query('select 1');
    const db = drizzle(pool, { schema });
    return { db, pool, url, close: () => pool.end() };
  } catch (err) {
    if (isConnectionError(err)) {
      throw new ServiceUnavailableError('PostgreSQL', redactUrl(url), err);
    }
    throw err;
  }
}
