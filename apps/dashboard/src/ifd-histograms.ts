import type { HistogramBin } from '@tapir/core';

/** Per round, every bin of the IFD histogram (empty ones too), rounds in order. */
export function ifdHistograms(rows: readonly { round: number; bin: number; count: number }[], bins: number, binWidth: number): { round: number; histogram: HistogramBin[] }[] {
  const rounds = [...new Set(rows.map((r) => r.round))].sort((a, b) => a - b);
  const edge = (i: number) => Math.round(i * binWidth * 1e4) / 1e4;
  return rounds.map((round) => {
    const histogram = Array.from({ length: bins }, (_, i) => ({ from: edge(i), to: edge(i + 1), count: 0 }));
    for (const r of rows) if (r.round === round) histogram[Math.min(bins - 1, Math.max(0, r.bin))]!.count += r.count;
    return { round, histogram };
  });
}
