/**
 * 32-bit hashing for MinHash and n-gram sets. Everything stays in 32-bit integer arithmetic
 * (Math.imul, >>> 0): products of two 32-bit numbers in doubles lose bits past 2^53, which would
 * make signatures differ between runs of the same text on no machine but silently bias them.
 */

// A module-level alias: in jest's module sandbox every lookup of the global `Math` goes through the
// sandbox's interceptor (a hashing loop ran 270x slower there); node compiles both forms alike.
const imul = Math.imul;

/** MurmurHash3's finaliser: a bijection on 32-bit integers with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units, finalised: a string's 32-bit hash. */
export function hashString(text: string, seed = 0): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, FNV_PRIME);
  }
  return fmix32(h);
}

/** [hashString(text, seedA), hashString(text, seedB)] in one walk over the text. */
export function hashStringTwice(text: string, seedA: number, seedB: number): [number, number] {
  let a = (FNV_OFFSET ^ seedA) >>> 0;
  let b = (FNV_OFFSET ^ seedB) >>> 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = imul(a ^ c, FNV_PRIME);
    b = imul(b ^ c, FNV_PRIME);
  }
  return [fmix32(a), fmix32(b)];
}

/** Combines a running hash with the next value (order matters). */
export function combineHash(h: number, value: number): number {
  return fmix32((imul(h ^ value, 0x9e3779b1) + 0x7f4a7c15) >>> 0);
}
