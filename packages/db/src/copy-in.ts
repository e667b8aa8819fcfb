import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Sends rows already encoded by `copyTextRow` (a string, or its UTF-8 bytes as a CopyRowBuffer
 * holds them) with `COPY table (columns) FROM STDIN`: PostgreSQL parses them without a query plan
 * or bind parameters, the cheapest way in for bulk rows. Resolves once the server has confirmed
 * the COPY, and so once every byte was written: bytes given here may be reused after that.
 */
export async function copyRowsIn(client: PoolClient, table: string, columns: readonly string[], encodedRows: string | Uint8Array): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`));
  stream.end(encodedRows);
  await finished(stream);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
