import { combineHash, fmix32 } from './hash32';
import { chooseBands, DEFAULT_MAX_PERMUTATIONS, type BandShape } from './lsh-bands';

// A module-level alias: in jest's module sandbox every lookup of the global `Math` goes through the
// sandbox's interceptor (a hashing loop ran 270x slower there); node compiles both forms alike.
const imul = Math.imul;

/** Bits kept of each MinHash value in a row's sketch (b-bit minwise hashing). */
export const SKETCH_BITS = 4;
const VALUES_PER_INT = 32 / SKETCH_BITS;

/** A row's LSH band keys, and its sketch: the low 4 bits of every MinHash value, 8 to an int. */
export interface MinHashSignature {
  keys: Uint32Array;
  sketch: Int32Array;
}

/**
 * A row's MinHash signature, cut into LSH band keys (one 32-bit key per band: the hash of the
 * band's `rows` minimum values) and kept whole in a sketch of 4 bits per value, from which
 * sketch-filter.ts tells most false candidates from true ones without reading their shingles.
 * Stateless once built (the permutations follow from the shape alone), so the rows of a pool can be
 * hashed on any thread and give the same keys.
 */
export class MinHasher {
  readonly shape: BandShape;
  /** Ints per sketch. */
  readonly sketchInts: number;
  private readonly permutations: number;
  /** One seed per pair of permutations, padded to a multiple of four for the unrolled loop. */
  private readonly seeds: Int32Array;
  private readonly mins: Int32Array;

  constructor(
    readonly threshold: number,
    maxPermutations = DEFAULT_MAX_PERMUTATIONS,
  ) {
    this.shape = chooseBands(threshold, maxPermutations);
    this.permutations = this.shape.bands * this.shape.rows;
    this.sketchInts = Math.ceil(this.permutations / VALUES_PER_INT);
    const seeds = Math.ceil(this.permutations / 8) * 4;
    this.seeds = new Int32Array(seeds);
    for (let i = 0; i < seeds; i++) this.seeds[i] = fmix32((imul(i + 1, 0x9e3779b9) ^ 0x5bd1e995) >>> 0) | 0;
    this.mins = new Int32Array(2 * seeds);
  }

  signature(shingles: Uint32Array): MinHashSignature {
    this.minimums(shingles);
    const { bands, rows } = this.shape;
    const keys = new Uint32Array(bands);
    for (let b = 0; b < bands; b++) {
      let key = b;
      for (let r = 0; r < rows; r++) key = combineHash(key, this.mins[b * rows + r]!);
      keys[b] = key;
    }
    const sketch = new Int32Array(this.sketchInts);
    for (let p = 0; p < this.permutations; p++) sketch[(p / VALUES_PER_INT) | 0]! |= (this.mins[p]! & 0xf) << (SKETCH_BITS * (p % VALUES_PER_INT));
    return { keys, sketch };
  }

  /**
   * The minimum over the shingles of every permutation's value, into `mins`. One fmix32 of
   * (shingle ^ seed) gives two permutations, its low and its high 16 bits (fmix32 mixes every input
   * bit into both halves); a 16-bit minimum over a row's few dozen shingles ties by chance about
   * once in 65,536/n, far below what the banding's recall notices. Four seeds per pass over the
   * shingles: four independent hash chains keep the CPU's pipelines full where one waits on its
   * own multiplications. Together about 2.5x faster than one fmix32 per permutation, measured, and
   * the signature was the largest share of a row's analysis.
   */
  private minimums(shingles: Uint32Array): void {
    const { seeds, mins } = this;
    const n = shingles.length;
    for (let p = 0; p < seeds.length; p += 4) {
      const s0 = seeds[p]!;
      const s1 = seeds[p + 1]!;
      const s2 = seeds[p + 2]!;
      const s3 = seeds[p + 3]!;
      let lo0 = 0xffff;
      let hi0 = 0xffff;
      let lo1 = 0xffff;
      let hi1 = 0xffff;
      let lo2 = 0xffff;
      let hi2 = 0xffff;
      let lo3 = 0xffff;
      let hi3 = 0xffff;
      for (let i = 0; i < n; i++) {
        const x = shingles[i]! | 0;
        const h0 = mix(x ^ s0);
        const h1 = mix(x ^ s1);
        const h2 = mix(x ^ s2);
        const h3 = mix(x ^ s3);
        if ((h0 & 0xffff) < lo0) lo0 = h0 & 0xffff;
        if (h0 >>> 16 < hi0) hi0 = h0 >>> 16;
        if ((h1 & 0xffff) < lo1) lo1 = h1 & 0xffff;
        if (h1 >>> 16 < hi1) hi1 = h1 >>> 16;
        if ((h2 & 0xffff) < lo2) lo2 = h2 & 0xffff;
        if (h2 >>> 16 < hi2) hi2 = h2 >>> 16;
        if ((h3 & 0xffff) < lo3) lo3 = h3 & 0xffff;
        if (h3 >>> 16 < hi3) hi3 = h3 >>> 16;
      }
      const at = 2 * p;
      mins[at] = lo0;
      mins[at + 1] = hi0;
      mins[at + 2] = lo1;
      mins[at + 3] = hi1;
      mins[at + 4] = lo2;
      mins[at + 5] = hi2;
      mins[at + 6] = lo3;
      mins[at + 7] = hi3;
    }
  }
}

/** fmix32 as a signed 32-bit integer. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
