/**
 * Words of a text in every script, for the simulated models (the simulator stands in for outside
 * providers and depends on nothing of tapir, so it keeps this small copy of core's text-words.ts
 * rules). Scripts written without spaces (Chinese, Japanese, Thai) are segmented with
 * Intl.Segmenter; Han, kana and Hangul count one ROUGE token per character.
 */

const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const CHARACTER_TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_CHARACTERS = /[\p{L}\p{N}\p{M}]+/gu;

/** Word-like segments, in order (no punctuation, spaces or emoji). */
export function segmentWords(text: string): string[] {
  const words: string[] = [];
  for (const segment of wordSegmenter.segment(text)) if (segment.isWordLike) words.push(segment.segment);
  return words;
}

/** Whitespace-separated words; a run in a script without spaces counts its segmented words. */
export function countWords(text: string): number {
  let count = 0;
  for (const chunk of text.split(/\s+/)) {
    if (chunk === '') continue;
    count += UNSPACED_SCRIPT.test(chunk) ? Math.max(1, segmentWords(chunk).length) : 1;
  }
  return count;
}

/** Lower-cased letter/digit runs of every word; Han, kana and Hangul one token per character. */
export function overlapTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const word of segmentWords(text.normalize('NFKC').toLowerCase())) {
    for (const run of word.matchAll(WORD_CHARACTERS)) {
      let pending = '';
      for (const ch of run[0]) {
        if (!CHARACTER_TOKEN.test(ch)) {
          pending += ch;
          continue;
        }
        if (pending !== '') tokens.push(pending);
        pending = '';
        tokens.push(ch);
      }
      if (pending !== '') tokens.push(pending);
    }
  }
  return tokens;
}
