import { fmix32 } from './hash32';
import { DEFAULT_MAX_PERMUTATIONS, type BandShape } from './lsh-bands';
import { MinHasher, type MinHashSignature } from './minhasher';
import { jaccardAtLeast } from './shingles';
import { agreeingValues, minimumAgreement } from './sketch-filter';

export interface NearTwin {
  /** The caller's reference of the kept row (its position in the order rows were added). */
  ref: number;
  jaccard: number;
}

/** Per kept row in `rowInfo`: where its shingles start and end, and the caller's ref. */
const START = 0;
const END = 1;
const REF = 2;
const ROW_INFO = 3;

/**
 * MinHash LSH over the kept rows: `findTwin` answers "is there a kept row with Jaccard >= the
 * threshold?", `add` keeps a row. Band values go to open-addressing tables of 32-bit keys with a
 * chain per key; a candidate passes the sketch filter (sketch-filter.ts) and is then checked
 * against its exact shingle set, so there are no false positives, and recall is the banding's
 * (lsh-bands.ts) less the filter's one in a million.
 *
 * The candidate walk is most of the time of a large pool and is bound by memory latency, not
 * arithmetic, so the layout serves it: a table slot holds its key and its chain head side by side,
 * and a row's chain links for all bands and its sketch share one record, so most candidates cost
 * one read of one record. A million rows cost about 16 MB per band's table and 116 bytes per row.
 */
export class MinHashIndex {
  readonly hasher: MinHasher;
  private readonly bands: number;
  private readonly values: number;
  private readonly minimumAgreement: number;
  private readonly tables: BandTable[];
  private shingles = new Uint32Array(1 << 16);
  private shinglesUsed = 0;
  private rowInfo = new Int32Array(ROW_INFO << 12);
  /**
   * Row r's record at r * stride: its link in each band's chain (the next older row with the same
   * key, -1 ends), then its sketch.
   */
  private records: Int32Array;
  private readonly stride: number;
  private count = 0;

  constructor(
    readonly threshold: number,
    maxPermutations = DEFAULT_MAX_PERMUTATIONS,
  ) {
    this.hasher = new MinHasher(threshold, maxPermutations);
    this.bands = this.hasher.shape.bands;
    this.values = this.bands * this.hasher.shape.rows;
    this.minimumAgreement = minimumAgreement(threshold, this.values);
    this.stride = this.bands + this.hasher.sketchInts;
    this.tables = Array.from({ length: this.bands }, () => new BandTable());
    this.records = new Int32Array(this.stride << 12);
  }

  get size(): number {
    return this.count;
  }

  get shape(): BandShape {
    return this.hasher.shape;
  }

  /** One 32-bit key per band (minhasher.ts). */
  bandKeys(shingles: Uint32Array): Uint32Array {
    return this.hasher.bandKeys(shingles);
  }

  /** The kept row most similar to these shingles at or above the threshold, if any. */
  findTwin(shingles: Uint32Array, signature: MinHashSignature = this.hasher.signature(shingles)): NearTwin | null {
    if (shingles.length === 0) return null;
    const { rowInfo, records, bands, stride, values } = this;
    const { keys, sketch } = signature;
    let bestRow = -1;
    let bestJaccard = this.threshold;
    for (let b = 0; b < bands; b++) {
      // A row found in several bands is checked again each time: rarer and cheaper than marking it.
      for (let row = this.tables[b]!.head(keys[b]!); row >= 0; row = records[row * stride + b]!) {
        if (agreeingValues(sketch, 0, records, row * stride + bands, values) < this.minimumAgreement) continue;
        const info = row * ROW_INFO;
        // Only a row at least as similar as the best so far can matter; a tie keeps the first found.
        const similarity = jaccardAtLeast(shingles, this.shingles, rowInfo[info + START]!, rowInfo[info + END]!, bestJaccard);
        if (similarity >= 0 && (bestRow < 0 || similarity > bestJaccard)) {
          bestRow = row;
          bestJaccard = similarity;
        }
      }
    }
    return bestRow < 0 ? null : { ref: rowInfo[bestRow * ROW_INFO + REF]!, jaccard: bestJaccard };
  }

  /** Keeps a row under the caller's reference. */
  add(ref: number, shingles: Uint32Array, signature: MinHashSignature = this.hasher.signature(shingles)): void {
    if (shingles.length === 0) return;
    const row = this.count++;
    this.growRows(this.count);
    while (this.shinglesUsed + shingles.length > this.shingles.length) this.shingles = grown(this.shingles, this.shingles.length * 2);
    this.shingles.set(shingles, this.shinglesUsed);
    const info = row * ROW_INFO;
    this.rowInfo[info + START] = this.shinglesUsed;
    this.shinglesUsed += shingles.length;
    this.rowInfo[info + END] = this.shinglesUsed;
    this.rowInfo[info + REF] = ref;
    const record = row * this.stride;
    for (let b = 0; b < this.bands; b++) this.records[record + b] = this.tables[b]!.insert(signature.keys[b]!, row);
    this.records.set(signature.sketch, record + this.bands);
  }

  private growRows(rows: number): void {
    if (rows * ROW_INFO > this.rowInfo.length) this.rowInfo = grown(this.rowInfo, this.rowInfo.length * 2);
    if (rows * this.stride > this.records.length) this.records = grown(this.records, this.records.length * 2);
  }
}

function grown<T extends Int32Array | Uint32Array>(a: T, size: number): T {
  const bigger = (a instanceof Int32Array ? new Int32Array(size) : new Uint32Array(size)) as T;
  bigger.set(a);
  return bigger;
}

/** One band's table: 32-bit key -> the newest row holding it; older rows follow in MinHashIndex's links. */
class BandTable {
  /** Slot i is [key, row + 1] at 2i, 2i + 1; row + 1 = 0 marks an empty slot. */
  private slots = new Int32Array(2 << 12);
  private used = 0;

  head(key: number): number {
    const { slots } = this;
    const mask = (slots.length >> 1) - 1;
    const k = key | 0;
    for (let slot = fmix32(key) & mask; ; slot = (slot + 1) & mask) {
      const h = slots[2 * slot + 1]!;
      if (h === 0) return -1;
      if (slots[2 * slot] === k) return h - 1;
    }
  }

  /** Makes `row` the newest holder of `key`; returns the row it displaced (-1 for none). */
  insert(key: number, row: number): number {
    if ((this.used + 1) * 4 > this.slots.length) this.rehash();
    const { slots } = this;
    const mask = (slots.length >> 1) - 1;
    const k = key | 0;
    let slot = fmix32(key) & mask;
    while (slots[2 * slot + 1] !== 0 && slots[2 * slot] !== k) slot = (slot + 1) & mask;
    const previous = slots[2 * slot + 1]! - 1;
    if (previous < 0) {
      this.used++;
      slots[2 * slot] = k;
    }
    slots[2 * slot + 1] = row + 1;
    return previous;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    const mask = (this.slots.length >> 1) - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] === 0) continue;
      let slot = fmix32(old[i]! >>> 0) & mask;
      while (this.slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      this.slots[2 * slot] = old[i]!;
      this.slots[2 * slot + 1] = old[i + 1]!;
    }
  }
}
