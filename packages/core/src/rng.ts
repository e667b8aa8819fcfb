/**
 * Seeded, platform-independent randomness. Every random choice in a campaign (which easy items
 * survive, which items are down-sampled) must be reproducible from the campaign seed, so
 * Math.random is never used.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** A shuffled copy (Fisher-Yates); the input is left untouched. */
  shuffle<T>(arr: readonly T[]): T[];
  /** k distinct elements (by position) in random order; k must be within 0..arr.length. */
  sample<T>(arr: readonly T[], k: number): T[];
  /**
   * An independent stream derived from this generator's seed and the label. It depends only on
   * the seed path, not on how many numbers were drawn before, so adding a draw in one step of the
   * pipeline does not change the randomness of another.
   */
  fork(label: string): Rng;
}

/** cyrb128: four independent 32-bit hashes of a string, enough state to seed sfc32. */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** sfc32: small, fast, passes PractRand; 32-bit integer arithmetic keeps it identical everywhere. */
function sfc32(seed: [number, number, number, number]): () => number {
  let [a, b, c, d] = seed;
  const step = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Similar seeds give correlated first outputs; a short warm-up decorrelates them.
  for (let i = 0; i < 15; i++) step();
  return step;
}

function seedKey(seed: number | string): string {
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new RangeError(`rng seed must be a finite number or a string, got ${seed}`);
  }
  // String(seed) on purpose: createRng(42) and createRng('42') are the same stream.
  return String(seed);
}

function rngFromKey(key: string): Rng {
  const next = sfc32(cyrb128(key));

  const int = (maxExclusive: number): number => {
    if (!Number.isInteger(maxExclusive) || maxExclusive < 1) {
      throw new RangeError(`rng.int needs a positive integer bound, got ${maxExclusive}`);
    }
    return Math.floor(next() * maxExclusive);
  };

  const sample = <T>(arr: readonly T[], k: number): T[] => {
    if (!Number.isInteger(k) || k < 0 || k > arr.length) {
      throw new RangeError(`rng.sample needs an integer k in 0..${arr.length}, got ${k}`);
    }
    const copy = arr.slice();
    // Partial Fisher-Yates: only the first k slots need to be settled.
    for (let i = 0; i < k; i++) {
      const j = i + int(copy.length - i);
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy.slice(0, k);
  };

  return {
    next,
    int,
    shuffle: <T>(arr: readonly T[]): T[] => sample(arr, arr.length),
    sample,
    // NUL separates the seed path; labels are plain names, so it never collides with their text.
    fork: (label: string): Rng => rngFromKey(`${key}\u0000${label}`),
  };
}

export function createRng(seed: number | string): Rng {
  return rngFromKey(seedKey(seed));
}
