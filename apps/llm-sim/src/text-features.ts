/** Small text utilities shared by answer generation and answer scoring. */

import { countWords } from './text-words';

export const STOPWORDS = new Set(
  ('a an the and or but if then else of to in on at by for with from into about as is are was were be been being ' +
    'this that these those it its it\'s i you he she we they me my your our their what which who whom whose when ' +
    'where why how can could should would will shall may might must do does did done have has had not no yes so ' +
    'than too very just also any all some each every more most other such only own same both few there here out ' +
    'up down over under again further once please give provide write tell explain describe following list make ' +
    'create generate find use using based given one two three').split(' '),
);

/** Lower-cased words of 3+ letters that carry meaning (no stopwords), in order of appearance, unique. */
export function contentWords(text: string, limit = 64): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\p{L}][\p{L}\p{N}'-]{2,}/gu)) {
    const word = match[0];
    if (STOPWORDS.has(word) || seen.has(word)) continue;
    seen.add(word);
    out.push(word);
    if (out.length >= limit) break;
  }
  return out;
}

/** Words in any script: Chinese and Japanese answers are not one long word. */
export function wordCount(text: string): number {
  return countWords(text);
}

/** The first `maxWords` words on one line, for echoing an instruction back. */
export function leadingWords(text: string, maxWords: number): string {
  const tokens = text.replace(/\s+/g, ' ').trim().split(' ');
  const head = tokens.slice(0, maxWords).join(' ');
  return tokens.length > maxWords ? `${head}...` : head;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
