import { FNV_OFFSET, FNV_PRIME, fmix32 } from './hash32';

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
      if (j > 0) h = Math.imul(h ^ SPACE, FNV_PRIME);
      const token = tokens[i + j]!;
      for (let c = 0; c < token.length; c++) h = Math.imul(h ^ token.charCodeAt(c), FNV_PRIME);
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
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / (a.length + b.length - shared);
}
