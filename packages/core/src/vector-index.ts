/**
 * Exact cosine search over unit vectors, for semantic dedup and decontamination (Platypus). Brute
 * force: every query is compared with every stored vector, in blocks of one contiguous
 * Float32Array so the inner loop is a plain dot product. That is n*m*d multiply-adds (semantic
 * dedup compares each item with the kept ones before it: at most 7.7e10 for 20,000 items at 384
 * dimensions, minutes on one core; docs/benchmarks.md has the measured rate). Beyond some tens of
 * thousands of items an approximate index (HNSW, or LSH over the vectors) is the way, see
 * docs/method.md.
 */

/** A copy of `vector` scaled to length 1; a zero vector stays zero (it is close to nothing). */
export function unitVector(vector: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += (vector[i] as number) * (vector[i] as number);
  norm = Math.sqrt(norm);
  const out = new Float32Array(vector.length);
  if (norm === 0 || !Number.isFinite(norm)) return out;
  for (let i = 0; i < vector.length; i++) out[i] = (vector[i] as number) / norm;
  return out;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`cosine: vectors of ${a.length} and ${b.length} dimensions`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) * (a[i] as number);
    nb += (b[i] as number) * (b[i] as number);
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

const BLOCK_ROWS = 1024;

/** block[offset..offset+d) . query, four partial sums at a time (about twice the speed of one in V8). */
function dotAt(block: Float32Array, offset: number, query: Float32Array, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < d; k += 4) {
    const o = offset + k;
    s0 += (block[o] as number) * (query[k] as number);
    s1 += (block[o + 1] as number) * (query[k + 1] as number);
    s2 += (block[o + 2] as number) * (query[k + 2] as number);
    s3 += (block[o + 3] as number) * (query[k + 3] as number);
  }
  for (; k < d; k++) s0 += (block[offset + k] as number) * (query[k] as number);
  return s0 + s1 + s2 + s3;
}

/** A growing set of unit vectors of one dimension, searched exactly. */
export class VectorIndex {
  private readonly blocks: Float32Array[] = [];
  private count = 0;

  constructor(readonly dimensions: number) {
    if (!(Number.isInteger(dimensions) && dimensions > 0)) throw new RangeError(`VectorIndex: dimensions must be a positive integer, got ${dimensions}`);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a vector (normalised here) and returns its position. */
  add(vector: ArrayLike<number>): number {
    if (vector.length !== this.dimensions) throw new RangeError(`VectorIndex: expected ${this.dimensions} dimensions, got ${vector.length}`);
    const row = this.count % BLOCK_ROWS;
    if (row === 0) this.blocks.push(new Float32Array(BLOCK_ROWS * this.dimensions));
    (this.blocks[this.blocks.length - 1] as Float32Array).set(unitVector(vector), row * this.dimensions);
    return this.count++;
  }

  /** The stored vector most similar to `query` (a unit vector), or undefined when the index is empty. Ties go to the earliest. */
  nearest(query: Float32Array): { position: number; cosine: number } | undefined {
    if (query.length !== this.dimensions) throw new RangeError(`VectorIndex: expected ${this.dimensions} dimensions, got ${query.length}`);
    const d = this.dimensions;
    let best = -1;
    let bestCosine = -Infinity;
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b] as Float32Array;
      const rows = Math.min(BLOCK_ROWS, this.count - b * BLOCK_ROWS);
      for (let r = 0; r < rows; r++) {
        const dot = dotAt(block, r * d, query, d);
        if (dot > bestCosine) {
          bestCosine = dot;
          best = b * BLOCK_ROWS + r;
        }
      }
    }
    return best < 0 ? undefined : { position: best, cosine: bestCosine };
  }
}

export interface DedupCandidate {
  vector: ArrayLike<number>;
  hasAnswer: boolean;
  importOrder: number;
}

export interface SemanticTwin {
  /** Index (into the candidates) of the kept item this one duplicates. */
  twin: number;
  cosine: number;
}

/**
 * Semantic duplicates: items within `threshold` cosine of a kept item. The kept copy follows the
 * rule of exact dedup: an item with an answer before one without, then the first in import order.
 * Items are visited in that order and each is kept unless a kept one is that close, so no two kept
 * items are within the threshold and every dropped item names a kept twin that outranks it.
 * Returns dropped candidate index -> its twin.
 */
export function semanticDuplicates(candidates: readonly DedupCandidate[], threshold: number): Map<number, SemanticTwin> {
  const dropped = new Map<number, SemanticTwin>();
  const first = candidates[0];
  if (first === undefined) return dropped;
  const order = candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => Number(b.c.hasAnswer) - Number(a.c.hasAnswer) || a.c.importOrder - b.c.importOrder || a.i - b.i);
  const kept = new VectorIndex(first.vector.length);
  const keptIds: number[] = [];
  for (const { c, i } of order) {
    const unit = unitVector(c.vector);
    const hit = kept.nearest(unit);
    if (hit !== undefined && hit.cosine >= threshold) {
      dropped.set(i, { twin: keptIds[hit.position] as number, cosine: hit.cosine });
      continue;
    }
    kept.add(unit);
    keptIds.push(i);
  }
  return dropped;
}

/**
 * For each query, the closest reference (a benchmark question) when its cosine is at least
 * `threshold`. Returns query index -> reference index and cosine.
 */
export function closeToReferences(
  queries: readonly ArrayLike<number>[],
  references: readonly ArrayLike<number>[],
  threshold: number,
): Map<number, { reference: number; cosine: number }> {
  const found = new Map<number, { reference: number; cosine: number }>();
  const firstRef = references[0];
  if (firstRef === undefined) return found;
  const index = new VectorIndex(firstRef.length);
  for (const r of references) index.add(r);
  queries.forEach((q, i) => {
    const hit = index.nearest(unitVector(q));
    if (hit !== undefined && hit.cosine >= threshold) found.set(i, { reference: hit.position, cosine: hit.cosine });
  });
  return found;
}
