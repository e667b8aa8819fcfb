import { round4 } from './round';

export interface HistogramBin {
  /** Inclusive lower edge. */
  from: number;
  /** Exclusive upper edge, except for the last bin which also holds `max` itself. */
  to: number;
  count: number;
}

export interface HistogramOptions {
  min?: number;
  max?: number;
  binWidth?: number;
}

/**
 * Distribution of MFD values. The default range -9..9 covers every difference of two 1..10
 * scores; values outside the range (0 scores, custom scales) are clamped into the edge bins so
 * the counts always add up to values.length.
 */
export function mfdHistogram(values: readonly number[], opts: HistogramOptions = {}): HistogramBin[] {
  const { min = -9, max = 9, binWidth = 1 } = opts;
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) {
    throw new RangeError(`mfdHistogram: need finite min < max, got ${min}..${max}`);
  }
  if (!Number.isFinite(binWidth) || !(binWidth > 0)) {
    throw new RangeError(`mfdHistogram: binWidth must be a positive number, got ${binWidth}`);
  }
  // The small tolerance stops (9 - -9) / 0.1 = 180.00000000000003 from adding an empty 181st bin.
  const binCount = Math.max(1, Math.ceil((max - min) / binWidth - 1e-9));
  const bins: HistogramBin[] = Array.from({ length: binCount }, (_, i) => ({
    from: round4(min + i * binWidth),
    to: round4(Math.min(max, min + (i + 1) * binWidth)),
    count: 0,
  }));
  for (const v of values) {
    if (Number.isNaN(v)) throw new RangeError('mfdHistogram: NaN value');
    const idx = Math.min(binCount - 1, Math.max(0, Math.floor((v - min) / binWidth + 1e-9)));
    const bin = bins[idx];
    if (bin) bin.count++;
  }
  return bins;
}

export interface Summary {
  count: number;
  /** Rounded to 4 decimals; null when there are no values. */
  mean: number | null;
  min: number | null;
  max: number | null;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, mean: null, min: null, max: null };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { count: values.length, mean: round4(sum / values.length), min, max };
}
