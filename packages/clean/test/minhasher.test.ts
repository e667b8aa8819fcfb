import { combineHash, fmix32 } from '../src/hash32';
import { candidateProbability } from '../src/lsh-bands';
import { MinHasher } from '../src/minhasher';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

/**
 * The signature by its definition: permutations 2j and 2j + 1 are the low and high 16 bits of
 * fmix32(x ^ seed_j); each value is their least over the shingles.
 */
function plainSignature(shingles: Uint32Array, bands: number, rows: number) {
  const k = bands * rows;
  const mins: number[] = [];
  for (let p = 0; p < k; p++) {
    const j = p >> 1;
    const seed = fmix32((Math.imul(j + 1, 0x9e3779b9) ^ 0x5bd1e995) >>> 0) | 0;
    let min = Infinity;
    for (const x of shingles) {
      const h = fmix32((x ^ seed) >>> 0);
      min = Math.min(min, p % 2 === 0 ? h & 0xffff : h >>> 16);
    }
    mins.push(min);
  }
  const keys = Array.from({ length: bands }, (_, b) => {
    let key = b;
    for (let r = 0; r < rows; r++) key = combineHash(key, mins[b * rows + r]!);
    return key;
  });
  const sketch = new Int32Array(Math.ceil(k / 8));
  mins.forEach((v, p) => (sketch[p >> 3]! |= (v & 0xf) << (4 * (p & 7))));
  return { keys, sketch: [...sketch] };
}

describe('MinHash signatures', () => {
  test.each([0.5, 0.8, 0.9])('the unrolled loop gives the values of the definition (threshold %p)', (t) => {
    const hasher = new MinHasher(t);
    const next = rng(5);
    for (let trial = 0; trial < 100; trial++) {
      const shingles = Uint32Array.from({ length: 1 + (next() % 60) }, () => next()).sort();
      const { keys, sketch } = hasher.signature(shingles);
      expect({ keys: [...keys], sketch: [...sketch] }).toEqual(plainSignature(shingles, hasher.shape.bands, hasher.shape.rows));
    }
  });

  test('two hashers built alike agree (rows hashed on different threads meet in one index)', () => {
    const shingles = Uint32Array.from([3, 99, 12345, 4000000000]);
    expect(new MinHasher(0.8).signature(shingles)).toEqual(new MinHasher(0.8).signature(shingles));
  });

  test('pairs become candidates as often as the band shape says', () => {
    const hasher = new MinHasher(0.8);
    const next = rng(9);
    for (const [shared, own] of [
      [24, 3],
      [20, 10],
    ] as const) {
      const jaccard = shared / (shared + 2 * own);
      let candidates = 0;
      const trials = 3000;
      for (let i = 0; i < trials; i++) {
        const common = Array.from({ length: shared }, () => next());
        const a = Uint32Array.from([...common, ...Array.from({ length: own }, () => next())]).sort();
        const b = Uint32Array.from([...common, ...Array.from({ length: own }, () => next())]).sort();
        const ka = hasher.signature(a).keys;
        const kb = hasher.signature(b).keys;
        if (ka.some((k, band) => k === kb[band])) candidates++;
      }
      const expected = candidateProbability(jaccard, hasher.shape);
      const sd = Math.sqrt((expected * (1 - expected)) / trials);
      expect(Math.abs(candidates / trials - expected)).toBeLessThan(4 * sd + 0.002);
    }
  });
});
