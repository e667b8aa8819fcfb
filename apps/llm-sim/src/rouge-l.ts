import { overlapTokens } from './text-words';

/**
 * ROUGE-L F1 over lower-cased words (Chinese, Japanese and Korean per character): the overlap measure Lion and Self-Instruct use to drop
 * generated instructions that copy their seed (typically at >= 0.7).
 */
export function rougeL(candidate: string, reference: string): number {
  const a = overlapTokens(candidate);
  const b = overlapTokens(reference);
  if (a.length === 0 || b.length === 0) return 0;
  const lcs = longestCommonSubsequence(a, b);
  if (lcs === 0) return 0;
  const precision = lcs / a.length;
  const recall = lcs / b.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Classic O(n * m) dynamic programme, one row at a time. */
function longestCommonSubsequence(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const word of a) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      current[j] = word === b[j - 1] ? (previous[j - 1] as number) + 1 : Math.max(previous[j] as number, current[j - 1] as number);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
