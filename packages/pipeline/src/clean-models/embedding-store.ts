import { textEmbeddings, type Db } from '@tapir/db';
import { and, eq, inArray } from 'drizzle-orm';

/** Rows per statement: keeps the parameter list and the reply a few megabytes at most. */
const CHUNK = 2_000;

function toBytes(vector: Float32Array): Buffer {
  const out = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) out.writeFloatLE(vector[i] as number, i * 4);
  return out;
}

function fromBytes(bytes: Buffer, dimensions: number): Float32Array {
  const out = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/** Stored vectors of `model` for the text hashes that have one. */
export async function loadEmbeddings(db: Db, model: string, hashes: readonly string[]): Promise<Map<string, Float32Array>> {
  const found = new Map<string, Float32Array>();
  for (let from = 0; from < hashes.length; from += CHUNK) {
    const rows = await db
      .select({ textHash: textEmbeddings.textHash, dimensions: textEmbeddings.dimensions, vector: textEmbeddings.vector })
      .from(textEmbeddings)
      .where(and(eq(textEmbeddings.model, model), inArray(textEmbeddings.textHash, hashes.slice(from, from + CHUNK))));
    for (const row of rows) found.set(row.textHash, fromBytes(row.vector, row.dimensions));
  }
  return found;
}

/** Stores vectors; a text already stored keeps its first vector (a rerun or a twin wrote the same one). */
export async function storeEmbeddings(db: Db, model: string, callId: number, rows: readonly { textHash: string; vector: Float32Array }[]): Promise<void> {
  for (let from = 0; from < rows.length; from += CHUNK) {
    const values = rows.slice(from, from + CHUNK).map((r) => ({ model, textHash: r.textHash, dimensions: r.vector.length, vector: toBytes(r.vector), callId }));
    await db.insert(textEmbeddings).values(values).onConflictDoNothing();
  }
}
