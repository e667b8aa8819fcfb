import { BandTable } from './band-table';
import { DEFAULT_MAX_PERMUTATIONS, type BandShape } from './lsh-bands';
import { MinHasher, type MinHashSignature } from './minhasher';
import { jaccardAtLeast } from './shingles';
import { agreeingValues, minimumAgreement } from './sketch-filter';

export interface NearTwin {
  /** The caller's reference of the kept row (its position in the order rows were added). */
  ref: number;
  jaccard: number;
}

/** Per kept row in `rowInfo`: the shingle chunk, where its shingles start and end in it, and the caller's ref. */
const CHUNK = 0;
const START = 1;
const END = 2;
const REF = 3;
const ROW_INFO = 4;

/** Shingles per chunk of the shingle store (4 MB). */
const SHINGLE_CHUNK = 1 << 20;
/** Rows per chunk of the record store. */
const RECORD_CHUNK_BITS = 16;
const RECORD_CHUNK_ROWS = 1 << RECORD_CHUNK_BITS;
const RECORD_CHUNK_MASK = RECORD_CHUNK_ROWS - 1;

/**
 * MinHash LSH over the kept rows: `findTwin` answers "is there a kept row with Jaccard >= the
 * threshold?", `add` keeps a row. Band values go to open-addressing tables of 32-bit keys with a
 * chain per key (band-table.ts); a candidate passes the sketch filter (sketch-filter.ts) and is
 * then checked against its exact shingle set, so there are no false positives, and recall is the
 * banding's (lsh-bands.ts) less the filter's one in a million.
 *
 * The candidate walk is most of the time of a large pool and is bound by memory latency, not
 * arithmetic, so the layout serves it: a row's chain links for all bands and its sketch share one
 * record, so most candidates cost one read of one record. Shingles and records live in fixed-size
 * chunks, not in arrays that double: a doubling copy of hundreds of megabytes held both copies at
 * once and set the peak memory. A million rows cost about 116 bytes of record, 16 of row info,
 * their shingles (4 bytes each) and about 11 MB per band's table.
 */
export class MinHashIndex {
  readonly hasher: MinHasher;
  private readonly bands: number;
  private readonly values: number;
  private readonly minimumAgreement: number;
  private readonly tables: BandTable[];
  private readonly shingleChunks: Uint32Array[] = [];
  private shinglesUsed = SHINGLE_CHUNK;
  private rowInfo = new Int32Array(ROW_INFO << 12);
  /**
   * Row r's record at (r & RECORD_CHUNK_MASK) * stride in chunk r >> RECORD_CHUNK_BITS: its link in
   * each band's chain (the next older row with the same key, -1 ends), then its sketch.
   */
  private readonly recordChunks: Int32Array[] = [];
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
  }

  get size(): number {
    return this.count;
  }

  get shape(): BandShape {
    return this.hasher.shape;
  }

  /** The kept row most similar to these shingles at or above the threshold, if any. */
  findTwin(shingles: Uint32Array, signature: MinHashSignature = this.hasher.signature(shingles)): NearTwin | null {
    if (shingles.length === 0) return null;
    const { rowInfo, recordChunks, shingleChunks, bands, stride, values, minimumAgreement } = this;
    const { keys, sketch } = signature;
    let bestRow = -1;
    let bestJaccard = this.threshold;
    for (let b = 0; b < bands; b++) {
      // A row found in several bands is checked again each time: rarer and cheaper than marking it.
      for (let row = this.tables[b]!.head(keys[b]!); row >= 0; ) {
        const records = recordChunks[row >>> RECORD_CHUNK_BITS]!;
        const record = (row & RECORD_CHUNK_MASK) * stride;
        if (agreeingValues(sketch, 0, records, record + bands, values) >= minimumAgreement) {
          const info = row * ROW_INFO;
          // Only a row at least as similar as the best so far can matter; a tie keeps the first found.
          const similarity = jaccardAtLeast(shingles, shingleChunks[rowInfo[info + CHUNK]!]!, rowInfo[info + START]!, rowInfo[info + END]!, bestJaccard);
          if (similarity >= 0 && (bestRow < 0 || similarity > bestJaccard)) {
            bestRow = row;
            bestJaccard = similarity;
          }
        }
        row = records[record + b]!;
      }
    }
    return bestRow < 0 ? null : { ref: rowInfo[bestRow * ROW_INFO + REF]!, jaccard: bestJaccard };
  }

  /** Keeps a row under the caller's reference. */
  add(ref: number, shingles: Uint32Array, signature: MinHashSignature = this.hasher.signature(shingles)): void {
    if (shingles.length === 0) return;
    const row = this.count++;
    if (row * ROW_INFO + ROW_INFO > this.rowInfo.length) {
      const bigger = new Int32Array(this.rowInfo.length * 2);
      bigger.set(this.rowInfo);
      this.rowInfo = bigger;
    }
    // A row's shingles are never split between chunks; a row longer than a chunk gets one of its own.
    if (this.shinglesUsed + shingles.length > SHINGLE_CHUNK) {
      this.shingleChunks.push(new Uint32Array(Math.max(SHINGLE_CHUNK, shingles.length)));
      this.shinglesUsed = 0;
    }
    const chunk = this.shingleChunks.length - 1;
    this.shingleChunks[chunk]!.set(shingles, this.shinglesUsed);
    const info = row * ROW_INFO;
    this.rowInfo[info + CHUNK] = chunk;
    this.rowInfo[info + START] = this.shinglesUsed;
    this.shinglesUsed += shingles.length;
    this.rowInfo[info + END] = this.shinglesUsed;
    this.rowInfo[info + REF] = ref;
    if ((row & RECORD_CHUNK_MASK) === 0) this.recordChunks.push(new Int32Array(RECORD_CHUNK_ROWS * this.stride));
    const records = this.recordChunks[row >>> RECORD_CHUNK_BITS]!;
    const record = (row & RECORD_CHUNK_MASK) * this.stride;
    for (let b = 0; b < this.bands; b++) records[record + b] = this.tables[b]!.insert(signature.keys[b]!, row);
    records.set(signature.sketch, record + this.bands);
  }
}
