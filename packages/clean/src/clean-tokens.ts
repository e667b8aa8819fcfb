import { rougeTokens } from '@tapir/core';

/**
 * The words cleaning compares: lower-cased runs of letters and digits (punctuation and case do not
 * make a copy new), with every Han, kana and Hangul character a word of its own, so Chinese and
 * Japanese text, written without spaces, still has shingles and n-grams. The same tokens as
 * ROUGE-L's (text-words.ts).
 */
export function cleanTokens(text: string): string[] {
  return rougeTokens(text);
}

/** The text a row is judged by: its instruction, and its input when it has one. */
export function promptText(instruction: string, input: string): string {
  return input === '' ? instruction : `${instruction}\n${input}`;
}
