/**
 * How to cut a MinHash signature into LSH bands for a Jaccard threshold. Two rows become
 * candidates when every value of at least one band agrees, which happens with probability
 * 1 - (1 - J^rows)^bands for rows of Jaccard J. Candidates are then checked exactly (their
 * shingle sets are kept), so a false candidate costs a comparison and nothing else, while a pair
 * never made a candidate is a duplicate missed.
 */

export interface BandShape {
  bands: number;
  rows: number;
}

/**
 * The default signature length. At Jaccard 0.8 it gives 15 bands of 7 rows (48 gave 9 of 5): a
 * pair at Jaccard 0.3 (two rows built on one template) becomes a candidate with probability 0.003
 * instead of 0.022, which cut the candidate checks of a million-row pool by 3.3x, and candidate
 * checks were most of `tapir clean`'s time; each band's table costs about 11 MB per million kept
 * rows (band-table.ts), within issue 15's 1 GB.
 */
export const DEFAULT_MAX_PERMUTATIONS = 112;

export function candidateProbability(jaccard: number, shape: BandShape): number {
  return 1 - Math.pow(1 - Math.pow(jaccard, shape.rows), shape.bands);
}

function integrate(f: (x: number) => number, from: number, to: number): number {
  const steps = 200;
  const width = (to - from) / steps;
  let area = 0;
  for (let i = 0; i < steps; i++) area += f(from + (i + 0.5) * width) * width;
  return area;
}

/** The least chance that a pair exactly at the threshold becomes a candidate. */
export const RECALL_AT_THRESHOLD = 0.97;

/**
 * The bands and rows (bands x rows <= maxPermutations) that make the fewest false candidates
 * (area under the candidate curve below the threshold) while a pair at the threshold is a
 * candidate with probability >= RECALL_AT_THRESHOLD; pairs above it are more likely still.
 */
export function chooseBands(threshold: number, maxPermutations = DEFAULT_MAX_PERMUTATIONS): BandShape {
  let best: BandShape = { bands: maxPermutations, rows: 1 };
  let bestArea = Infinity;
  for (let bands = 1; bands <= maxPermutations; bands++) {
    for (let rows = 1; bands * rows <= maxPermutations; rows++) {
      const shape = { bands, rows };
      if (candidateProbability(threshold, shape) < RECALL_AT_THRESHOLD) continue;
      const falseCandidates = integrate((j) => candidateProbability(j, shape), 0, threshold);
      if (falseCandidates < bestArea) {
        bestArea = falseCandidates;
        best = shape;
      }
    }
  }
  return best;
}
