/** Levenshtein distance, bounded: returns max + 1 as soon as the distance must exceed max. */
export function boundedLevenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const curr = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((prev[j] ?? 0) + 1, (curr[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      curr.push(value);
      rowMin = Math.min(rowMin, value);
    }
    // Every later row is at least this row's minimum, so we can stop early.
    if (rowMin > max) return max + 1;
    prev = curr;
  }
  return Math.min(prev[b.length] ?? max + 1, max + 1);
}
