/**
 * The fewest word edits (insert, delete, substitute) that turn `pattern` into some stretch of
 * `text`: Sellers' semi-global edit distance, the pattern matched whole, the text anywhere.
 * Returns limit + 1 for anything above `limit`; stops at the first exact containment.
 */
export function editsToContain(pattern: Int32Array, text: Int32Array, limit: number): number {
  const m = pattern.length;
  if (m === 0) return 0;
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) prev[i] = i;
  let best = prev[m]!;
  for (let j = 0; j < text.length; j++) {
    cur[0] = 0;
    const t = text[j]!;
    for (let i = 1; i <= m; i++) {
      const substitute = prev[i - 1]! + (pattern[i - 1] === t ? 0 : 1);
      const v = Math.min(substitute, prev[i]! + 1, cur[i - 1]! + 1);
      cur[i] = v;
    }
    if (cur[m]! < best) best = cur[m]!;
    if (best === 0) return 0;
    const swap = prev;
    prev = cur;
    cur = swap;
  }
  return best > limit ? limit + 1 : best;
}
