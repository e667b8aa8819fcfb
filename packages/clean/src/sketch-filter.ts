import { SKETCH_BITS } from './minhasher';

// A module-level alias: in jest's module sandbox every lookup of the global `Math` goes through the
// sandbox's interceptor (a hashing loop ran 270x slower there); node compiles both forms alike.
const imul = Math.imul;

/**
 * The b-bit MinHash filter (Li and König, "b-Bit Minwise Hashing", WWW 2010) in front of the exact
 * Jaccard check: two rows' 4-bit sketch values agree where their MinHash values agree (probability
 * J) and by chance elsewhere (1/16), so a candidate whose sketch agrees in too few places is
 * almost surely below the threshold and is turned away without reading its shingles, which is a
 * cache miss into hundreds of megabytes on a large pool. Most candidates are rows that share a
 * template (Jaccard 0.3-0.6); a pair at the threshold is turned away with probability under
 * FILTER_MISS (a million pairs at the threshold lose about one).
 */
export const FILTER_MISS = 1e-6;

const CHANCE_AGREEMENT = 1 / (1 << SKETCH_BITS);

/** The fewest agreeing values a pair at Jaccard `threshold` shows, except with probability FILTER_MISS. */
export function minimumAgreement(threshold: number, values: number): number {
  const p = threshold + (1 - threshold) * CHANCE_AGREEMENT;
  if (p >= 1) return values;
  // Lower tail of Binomial(values, p), term by term in logs (values is about a hundred).
  let logChoose = 0;
  let tail = 0;
  for (let k = 0; k <= values; k++) {
    if (k > 0) logChoose += Math.log((values - k + 1) / k);
    tail += Math.exp(logChoose + k * Math.log(p) + (values - k) * Math.log1p(-p));
    if (tail > FILTER_MISS) return k;
  }
  return values;
}

/** How many of the first `values` 4-bit values agree between a[aStart..] and b[bStart..]. */
export function agreeingValues(a: Int32Array, aStart: number, b: Int32Array, bStart: number, values: number): number {
  const ints = Math.ceil(values / 8);
  let differing = 0;
  for (let i = 0; i < ints; i++) {
    const x = a[aStart + i]! ^ b[bStart + i]!;
    // Bit 3 of each nibble is set where the nibble is non-zero; then the flags are summed by a multiply.
    const flags = ((((x & 0x77777777) + 0x77777777) | x) >>> 3) & 0x11111111;
    differing += imul(flags, 0x11111111) >>> 28;
  }
  // Padding nibbles past `values` are zero in both sketches, so they never differ.
  return values - differing;
}
