import { open } from 'node:fs/promises';

/**
 * How a pool file is stored. `json` covers JSONL and a JSON array (told apart by the first
 * character); gzip is transparent and never a kind of its own.
 */
export type FileKind = 'json' | 'csv' | 'tsv' | 'parquet';

export const PARQUET_MAGIC = 'PAR1';
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** The kind an extension names (`.csv.gz` is csv), or undefined for anything else. */
export function fileKindFromName(file: string): FileKind | undefined {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.parquet')) return 'parquet';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.tsv') || name.endsWith('.tab')) return 'tsv';
  if (name.endsWith('.jsonl') || name.endsWith('.json') || name.endsWith('.ndjson')) return 'json';
  return undefined;
}

export function isGzip(head: Uint8Array): boolean {
  return head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

function isParquet(head: Uint8Array): boolean {
  return head.length >= 4 && Buffer.from(head.subarray(0, 4)).toString('latin1') === PARQUET_MAGIC;
}

/** The first bytes of a file (fewer if it is shorter); ENOENT and friends propagate. */
export async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Magic bytes first, then the extension: a Parquet file is Parquet whatever it is called, and a
 * gzip stream is decompressed and then read as its inner name says (JSON when the name says
 * nothing, as before formats other than JSON existed).
 */
export function fileKindOf(file: string, head: Uint8Array): FileKind {
  if (isParquet(head)) return 'parquet';
  return fileKindFromName(file) ?? 'json';
}
