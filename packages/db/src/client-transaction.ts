import { drizzle } from 'drizzle-orm/node-postgres';
import type { PoolClient } from 'pg';
import type { Db } from './connection';
import * as schema from './schema';

export type ClientDb = Omit<Db, '$client'>;

/**
 * Runs `work` in one transaction on one checked-out connection, with both the raw client (for
 * COPY, which drizzle cannot issue) and a drizzle database bound to that same connection.
 * Commits when `work` resolves, rolls back when it throws.
 */
export async function withClientTransaction<T>(db: Db, work: (client: PoolClient, tx: ClientDb) => Promise<T>): Promise<T> {
  const client = await db.$client.connect();
  let broken: unknown;
  try {
    await client.query('begin');
    try {
      const result = await work(client, drizzle(client, { schema }));
      await client.query('commit');
      return result;
    } catch (err) {
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken = rollbackError; // the connection is unusable: do not return it to the pool
      });
      throw err;
    }
  } finally {
    client.release(broken instanceof Error ? broken : undefined);
  }
}
