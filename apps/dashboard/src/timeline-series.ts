/** One bucket of settled requests of one step (purpose), as the timeline statement returns it. */
export interface TimelineBucket {
  step: string;
  /** 0-based bucket index over the campaign's time span. */
  bucket: number;
  count: number;
}

export interface TimelineSeries {
  /** The end of each bucket, ISO 8601. */
  times: string[];
  /** Per step, the cumulative count at the end of each bucket. */
  steps: { step: string; cumulative: number[] }[];
}

/**
 * Turns per-bucket counts into cumulative lines on a shared time axis, so that every step's line
 * ends at its total and never falls. Buckets outside 0..buckets-1 are clamped into range.
 */
export function cumulativeTimeline(rows: readonly TimelineBucket[], startMs: number, endMs: number, buckets: number): TimelineSeries {
  const width = buckets > 0 ? Math.max(1, endMs - startMs) / buckets : 0;
  const times = Array.from({ length: buckets }, (_, i) => new Date(Math.round(startMs + width * (i + 1))).toISOString());
  const perStep = new Map<string, number[]>();
  for (const row of rows) {
    let counts = perStep.get(row.step);
    if (!counts) perStep.set(row.step, (counts = new Array<number>(buckets).fill(0)));
    const i = Math.min(buckets - 1, Math.max(0, row.bucket));
    if (buckets > 0) counts[i]! += row.count;
  }
  const steps = [...perStep.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([step, counts]) => {
      let running = 0;
      return { step, cumulative: counts.map((c) => (running += c)) };
    });
  return { times, steps };
}
