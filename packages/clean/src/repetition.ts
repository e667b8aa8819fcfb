/**
 * Data-Juicer's repetition measures (character_repetition_filter, word_repetition_filter), so
 * that their published thresholds mean the same here.
 */

function counts<T>(items: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/**
 * The share of character n-grams taken by the most repeated ones: of the distinct n-grams, the
 * sqrt(distinct) most frequent among those seen more than once, their occurrences over all
 * occurrences. 0 for text shorter than n.
 */
export function charRepetitionRatio(text: string, n: number): number {
  const chars = Array.from(text);
  if (chars.length < n) return 0;
  function* grams() {
    for (let i = 0; i + n <= chars.length; i++) yield chars.slice(i, i + n).join('');
  }
  const freq = [...counts(grams()).values()].sort((a, b) => b - a);
  const repeatedKinds = freq.filter((f) => f > 1).length;
  const take = Math.min(Math.floor(Math.sqrt(freq.length)), repeatedKinds);
  const total = freq.reduce((a, b) => a + b, 0);
  let top = 0;
  for (let i = 0; i < take; i++) top += freq[i]!;
  return total === 0 ? 0 : top / total;
}

/** The share of word n-gram occurrences whose n-gram occurs more than once. 0 for fewer than n words. */
export function wordRepetitionRatio(words: readonly string[], n: number): number {
  if (words.length < n) return 0;
  function* grams() {
    for (let i = 0; i + n <= words.length; i++) yield words.slice(i, i + n).join(' ');
  }
  const freq = [...counts(grams()).values()];
  const total = freq.reduce((a, b) => a + b, 0);
  const repeated = freq.filter((f) => f > 1).reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : repeated / total;
}
