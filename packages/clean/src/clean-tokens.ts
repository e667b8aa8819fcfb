import { rougeTokens } from '@tapir/core';

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * The words cleaning compares: lower-cased runs of letters and digits (punctuation and case do not
 * make a copy new), with every Han, kana and Hangul character a word of its own, so Chinese and
 * Japanese text, written without spaces, still has shingles and n-grams. The same tokens as
 * ROUGE-L's (text-words.ts); ASCII text, nearly every row, is scanned here by character code
 * (NFKC leaves it unchanged): a regex match per word was a tenth of cleaning's time.
 */
export function cleanTokens(text: string): string[] {
  if (!ASCII_ONLY.test(text)) return rougeTokens(text);
  const tokens: string[] = [];
  const lower = text.toLowerCase();
  let start = -1;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    const word = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (word) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      tokens.push(lower.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) tokens.push(lower.slice(start));
  return tokens;
}

/** The text a row is judged by: its instruction, and its input when it has one. */
export function promptText(instruction: string, input: string): string {
  return input === '' ? instruction : `${instruction}\n${input}`;
}
