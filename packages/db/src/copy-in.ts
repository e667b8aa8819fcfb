import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Sends rows already encoded by `copyTextRow` with `COPY table (columns) FROM STDIN`: PostgreSQL
 * parses them without a query plan or bind parameters, the cheapest way in for bulk rows.
 * Resolves once the server has confirmed the COPY.
 */
export async function copyRowsIn(client: PoolClient, table: string, columns: readonly string[], encodedRows: string): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`));
  stream.end(encodedRows);
  await finished(stream);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
