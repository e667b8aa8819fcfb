import { FNV_OFFSET, FNV_PRIME, fmix32 } from './hash32';

// A module-level alias: in jest's module sandbox every lookup of the global `Math` goes through the
// sandbox's interceptor (a hashing loop ran 270x slower there); node compiles both forms alike.
const imul = Math.imul;

const SPACE = 0x20;

/**
 * A row's word shingles (runs of `size` consecutive tokens) as sorted, distinct 32-bit hashes.
 * A text shorter than one shingle is one shingle of all its tokens; a text with no tokens has none.
 * Two distinct shingles share a hash with probability 2^-32, which can only raise a Jaccard
 * estimate by a hair on the rare row where it happens.
 */
export function shingleHashes(tokens: readonly string[], size: number): Uint32Array {
  if (tokens.length === 0) return new Uint32Array(0);
  const width = Math.min(size, tokens.length);
  const count = tokens.length - width + 1;
  const hashes = new Uint32Array(count);
  // hashString of the tokens joined by spaces, fed token by token: the same values without
  // building a string per shingle (those strings were most of the shingling time).
  for (let i = 0; i < count; i++) {
    let h = FNV_OFFSET;
    for (let j = 0; j < width; j++) {
      if (j > 0) h = imul(h ^ SPACE, FNV_PRIME);
      const token = tokens[i + j]!;
      for (let c = 0; c < token.length; c++) h = imul(h ^ token.charCodeAt(c), FNV_PRIME);
    }
    hashes[i] = fmix32(h >>> 0);
  }
  hashes.sort();
  let distinct = 0;
  for (let i = 0; i < hashes.length; i++) if (i === 0 || hashes[i] !== hashes[distinct - 1]) hashes[distinct++] = hashes[i]!;
  return hashes.subarray(0, distinct);
}

/** Exact Jaccard similarity of two sorted, distinct hash sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  return jaccardAtLeast(a, b, 0, b.length, 0);
}

/** Slack for floating-point bounds: they may only let a pair through, never turn one away wrongly. */
const BOUND_SLACK = 1e-9;

/**
 * The exact Jaccard similarity of `a` and `store[start .. end)` (both sorted, distinct hash sets)
 * when it is at least `min`, and -1 when it is not. Most MinHash candidates are rows built on one
 * template (Jaccard 0.3-0.6 against a 0.8 threshold), so the merge stops as soon as the shared
 * count can no longer reach `min * (|a| + |b|) / (1 + min)`, the count Jaccard `min` needs; that
 * is usually a few steps in. The kept set is read in place: a subarray per candidate was a
 * measurable share of the candidate walk.
 */
export function jaccardAtLeast(a: Uint32Array, store: Uint32Array, start: number, end: number, min: number): number {
  const la = a.length;
  const lb = end - start;
  if (la === 0 && lb === 0) return 1 >= min ? 1 : -1;
  // Jaccard is at most the smaller set's share of the larger one.
  if (Math.min(la, lb) < min * Math.max(la, lb) - BOUND_SLACK) return -1;
  const needed = Math.ceil((min * (la + lb)) / (1 + min) - BOUND_SLACK);
  let i = 0;
  let j = start;
  let shared = 0;
  while (i < la && j < end) {
    const left = la - i < end - j ? la - i : end - j;
    if (shared + left < needed) return -1;
    const x = a[i]!;
    const y = store[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const similarity = shared / (la + lb - shared);
  return similarity >= min ? similarity : -1;
}
