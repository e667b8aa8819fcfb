import { combineHash, fmix32, hashString } from './hash32';

// A module-level alias: in jest's module sandbox every lookup of the global `Math` goes through the
// sandbox's interceptor (a hashing loop ran 270x slower there); node compiles both forms alike.
const imul = Math.imul;

/**
 * Data-Juicer's repetition measures (character_repetition_filter, word_repetition_filter), so
 * that their published thresholds mean the same here. N-grams are counted by 32-bit hash (sorted
 * runs, no strings built): at a million rows the strings and maps were most of cleaning's time.
 * Two different n-grams of one text share a hash with odds of about 1 in 2^32 / n^2.
 */

const BASE = 0x01000193;
const SURROGATE = /[\ud800-\udfff]/;

/** How many distinct n-grams there are, and the counts of those seen more than once, most first. */
function frequencies(hashes: Uint32Array): { distinct: number; repeated: number[] } {
  hashes.sort();
  const repeated: number[] = [];
  let distinct = 0;
  let run = 1;
  for (let i = 1; i <= hashes.length; i++) {
    if (i < hashes.length && hashes[i] === hashes[i - 1]) run++;
    else {
      distinct++;
      if (run > 1) repeated.push(run);
      run = 1;
    }
  }
  return { distinct, repeated: repeated.sort((a, b) => b - a) };
}

/** How many n-gram occurrences belong to n-grams seen more than once. */
function repeatedOccurrences(hashes: Uint32Array): number {
  hashes.sort();
  let repeated = 0;
  let run = 1;
  for (let i = 1; i <= hashes.length; i++) {
    if (i < hashes.length && hashes[i] === hashes[i - 1]) run++;
    else {
      if (run > 1) repeated += run;
      run = 1;
    }
  }
  return repeated;
}

/** Code points of the text as numbers (a character outside the BMP is one, as Python counts it). */
function codePoints(text: string): Uint32Array | string {
  if (!SURROGATE.test(text)) return text;
  const out = new Uint32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i)!;
    out[n++] = c;
    if (c > 0xffff) i++;
  }
  return out.subarray(0, n);
}

/**
 * The share of character n-grams taken by the most repeated ones: of the distinct n-grams, the
 * sqrt(distinct) most frequent among those seen more than once, their occurrences over all
 * occurrences. 0 for text shorter than n.
 */
export function charRepetitionRatio(text: string, n: number): number {
  const chars = codePoints(text);
  if (chars.length < n) return 0;
  const hashes = typeof chars === 'string' ? rollingHashes(chars, n, (i) => chars.charCodeAt(i)) : rollingHashes(chars, n, (i) => chars[i]!);
  const total = hashes.length;
  const { distinct, repeated } = frequencies(hashes);
  const take = Math.min(Math.floor(Math.sqrt(distinct)), repeated.length);
  let most = 0;
  for (let i = 0; i < take; i++) most += repeated[i]!;
  return most / total;
}

/** The share of word n-gram occurrences whose n-gram occurs more than once. 0 for fewer than n words. */
export function wordRepetitionRatio(words: readonly string[], n: number): number {
  if (words.length < n) return 0;
  const ids = words.map((w) => hashString(w));
  const total = words.length - n + 1;
  const hashes = new Uint32Array(total);
  for (let i = 0; i < total; i++) {
    let h = n;
    for (let j = i; j < i + n; j++) h = combineHash(h, ids[j]!);
    hashes[i] = h;
  }
  return repeatedOccurrences(hashes) / total;
}

/**
 * The hashes of every n-character window: a rolling polynomial hash mod 2^32 (Rabin-Karp), one
 * step per character, not n. `length` characters, read by `at` (code units of a text without
 * surrogates, or code points).
 */
function rollingHashes(chars: { length: number }, n: number, at: (i: number) => number): Uint32Array {
  const total = chars.length - n + 1;
  const hashes = new Uint32Array(total);
  let top = 1;
  for (let j = 1; j < n; j++) top = imul(top, BASE);
  let h = 0;
  for (let j = 0; j < n; j++) h = (imul(h, BASE) + at(j)) | 0;
  for (let i = 0; ; i++) {
    hashes[i] = fmix32(h >>> 0);
    if (i + 1 >= total) break;
    h = (imul(h - imul(at(i), top), BASE) + at(i + n)) | 0;
  }
  return hashes;
}
