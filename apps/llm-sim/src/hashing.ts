/**
 * Deterministic hashing and seeded randomness. Everything the simulator "decides" (answer quality,
 * wording, judge noise, injected faults) is derived from these so a given request body + seed
 * always produces the same outcome. A cryptographic digest would be ~10x slower per request and
 * collision resistance buys nothing here.
 */

const TWO_POW_53 = 2 ** 53;

/** cyrb53: a fast, well-mixed 53-bit string hash (safe integer, so it survives JSON and arithmetic). */
export function hashString(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Hash of several values; the separator keeps ("ab","c") and ("a","bc") apart. */
export function hashParts(...parts: ReadonlyArray<string | number | undefined>): number {
  return hashString(parts.map((p) => (p === undefined ? '\u0001' : String(p))).join('\u0000'));
}

/** Maps a hash to [0, 1). */
export function unitFromHash(hash: number): number {
  return (hash % TWO_POW_53) / TWO_POW_53;
}

/** Maps a hash to [-1, 1). */
export function signedUnitFromHash(hash: number): number {
  return unitFromHash(hash) * 2 - 1;
}

/** mulberry32: tiny seeded PRNG for sequences of choices (wording, fault draws). Returns [0, 1). */
export function createPrng(seed: number): () => number {
  let state = (seed ^ Math.floor(seed / 4294967296)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks one element with the given PRNG; the list must not be empty. */
export function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick() from an empty list');
  return item;
}
