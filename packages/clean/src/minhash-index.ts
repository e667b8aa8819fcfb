import { combineHash, fmix32 } from './hash32';
import { chooseBands, DEFAULT_MAX_PERMUTATIONS, type BandShape } from './lsh-bands';
import { jaccard } from './shingles';

export interface NearTwin {
  /** The caller's reference of the kept row (its position in the order rows were added). */
  ref: number;
  jaccard: number;
}

/**
 * MinHash LSH over the kept rows: `findTwin` answers "is there a kept row with Jaccard >= the
 * threshold?", `add` keeps a row. Band values go to open-addressing tables of 32-bit keys with a
 * chain per key (typed arrays: a million rows cost tens of megabytes, not the gigabyte of a Map per
 * band), and every candidate is checked against its exact shingle set, so there are no false
 * positives; recall is the banding's (lsh-bands.ts).
 */
export class MinHashIndex {
  readonly shape: BandShape;
  private readonly seeds: Uint32Array;
  private readonly tables: BandTable[];
  private shingles = new Uint32Array(1 << 16);
  private shinglesUsed = 0;
  private offsets = new Int32Array(1 << 12);
  private refs = new Int32Array(1 << 12);
  private count = 0;
  private visited = new Int32Array(1 << 12);
  private query = 0;

  constructor(
    readonly threshold: number,
    maxPermutations = DEFAULT_MAX_PERMUTATIONS,
  ) {
    this.shape = chooseBands(threshold, maxPermutations);
    const permutations = this.shape.bands * this.shape.rows;
    this.seeds = new Uint32Array(permutations);
    for (let i = 0; i < permutations; i++) this.seeds[i] = fmix32((Math.imul(i + 1, 0x9e3779b9) ^ 0x5bd1e995) >>> 0);
    this.tables = Array.from({ length: this.shape.bands }, () => new BandTable());
  }

  get size(): number {
    return this.count;
  }

  /** One 32-bit key per band. */
  bandKeys(shingles: Uint32Array): Uint32Array {
    const { bands, rows } = this.shape;
    const keys = new Uint32Array(bands);
    for (let b = 0; b < bands; b++) {
      let key = b;
      for (let r = 0; r < rows; r++) {
        const seed = this.seeds[b * rows + r]!;
        let min = 0xffffffff;
        for (let s = 0; s < shingles.length; s++) {
          const v = fmix32((shingles[s]! ^ seed) >>> 0);
          if (v < min) min = v;
        }
        key = combineHash(key, min);
      }
      keys[b] = key;
    }
    return keys;
  }

  /** The kept row most similar to these shingles at or above the threshold, if any. */
  findTwin(shingles: Uint32Array, keys = this.bandKeys(shingles)): NearTwin | null {
    if (shingles.length === 0) return null;
    this.query++;
    let best: NearTwin | null = null;
    for (let b = 0; b < this.tables.length; b++) {
      for (let row = this.tables[b]!.head(keys[b]!); row >= 0; row = this.tables[b]!.next(row)) {
        if (this.visited[row] === this.query) continue;
        this.visited[row] = this.query;
        const similarity = jaccard(shingles, this.shinglesOf(row));
        if (similarity >= this.threshold && (best === null || similarity > best.jaccard)) best = { ref: this.refs[row]!, jaccard: similarity };
      }
    }
    return best;
  }

  /** Keeps a row under the caller's reference. */
  add(ref: number, shingles: Uint32Array, keys = this.bandKeys(shingles)): void {
    if (shingles.length === 0) return;
    const row = this.count++;
    this.growRows(this.count);
    while (this.shinglesUsed + shingles.length > this.shingles.length) {
      const bigger = new Uint32Array(this.shingles.length * 2);
      bigger.set(this.shingles.subarray(0, this.shinglesUsed));
      this.shingles = bigger;
    }
    this.shingles.set(shingles, this.shinglesUsed);
    this.shinglesUsed += shingles.length;
    this.offsets[row + 1] = this.shinglesUsed;
    this.refs[row] = ref;
    for (let b = 0; b < this.tables.length; b++) this.tables[b]!.insert(keys[b]!, row);
  }

  private shinglesOf(row: number): Uint32Array {
    return this.shingles.subarray(this.offsets[row]!, this.offsets[row + 1]!);
  }

  private growRows(rows: number): void {
    if (rows + 1 < this.offsets.length) return;
    const size = this.offsets.length * 2;
    this.offsets = grow(this.offsets, size);
    this.refs = grow(this.refs, size);
    this.visited = grow(this.visited, size);
  }
}

function grow(a: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(size);
  bigger.set(a);
  return bigger;
}

/** One band's table: 32-bit key -> the rows holding it, newest first (row numbers, -1 ends). */
class BandTable {
  private keys = new Uint32Array(1 << 12);
  /** Row + 1 of the newest row with the slot's key; 0 is an empty slot. */
  private heads = new Int32Array(1 << 12);
  private nexts = new Int32Array(1 << 12).fill(-1);
  private used = 0;

  head(key: number): number {
    const mask = this.keys.length - 1;
    for (let slot = fmix32(key) & mask; ; slot = (slot + 1) & mask) {
      const h = this.heads[slot]!;
      if (h === 0) return -1;
      if (this.keys[slot] === key) return h - 1;
    }
  }

  next(row: number): number {
    return this.nexts[row]!;
  }

  insert(key: number, row: number): void {
    if (row >= this.nexts.length) {
      const bigger = new Int32Array(this.nexts.length * 2).fill(-1);
      bigger.set(this.nexts);
      this.nexts = bigger;
    }
    if ((this.used + 1) * 2 > this.keys.length) this.rehash();
    const mask = this.keys.length - 1;
    let slot = fmix32(key) & mask;
    while (this.heads[slot] !== 0 && this.keys[slot] !== key) slot = (slot + 1) & mask;
    if (this.heads[slot] === 0) {
      this.used++;
      this.keys[slot] = key;
    }
    this.nexts[row] = this.heads[slot]! - 1;
    this.heads[slot] = row + 1;
  }

  private rehash(): void {
    const oldKeys = this.keys;
    const oldHeads = this.heads;
    this.keys = new Uint32Array(oldKeys.length * 2);
    this.heads = new Int32Array(oldHeads.length * 2);
    const mask = this.keys.length - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldHeads[i] === 0) continue;
      let slot = fmix32(oldKeys[i]!) & mask;
      while (this.heads[slot] !== 0) slot = (slot + 1) & mask;
      this.keys[slot] = oldKeys[i]!;
      this.heads[slot] = oldHeads[i]!;
    }
  }
}
