/**
 * The words of a text, in every script: the one place core splits text into words (ROUGE-L's
 * tokens, the expansion filter's word count). Latin-script rules came from English-only tools
 * (rouge_score's [a-z0-9] runs, Python's str.split()); on their own they find no word at all in
 * Chinese or Japanese, which write no spaces, so identical Chinese texts scored ROUGE-L 0 and
 * every Chinese instruction counted as one word. Scripts without spaces are segmented with
 * Intl.Segmenter (ICU's dictionary segmentation); ASCII text never reaches it, so English results
 * are exactly what they were (and fast).
 */

const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Scripts written without spaces between words: whitespace alone cannot count their words. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * Scripts whose ROUGE-L unit is the character: Han (Chinese, Japanese kanji), kana and Hangul
 * syllables. See docs/decisions.md ("Every language") for why characters and not ICU's words.
 */
const CHARACTER_TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Letters, digits and combining marks (Thai vowels, Devanagari matras) of any script. */
const WORD_CHARACTERS = /[\p{L}\p{N}\p{M}]+/gu;

/** Word-like segments (no spaces, punctuation or emoji), as Intl.Segmenter finds them, in order. */
export function segmentWords(text: string): string[] {
  const words: string[] = [];
  for (const segment of wordSegmenter.segment(text)) if (segment.isWordLike) words.push(segment.segment);
  return words;
}

/**
 * Words as Lion counts them (Python's str.split(): runs of whitespace), except that a run holding
 * a script written without spaces (Chinese, Japanese, Thai, ...) counts its segmented words, so
 * "请写一首关于秋天的诗" is 7 words, not 1. Korean puts spaces between words and counts as split.
 */
export function countWords(text: string): number {
  let count = 0;
  for (const chunk of text.split(/\s+/)) {
    if (chunk === '') continue;
    count += UNSPACED_SCRIPT.test(chunk) ? Math.max(1, segmentWords(chunk).length) : 1;
  }
  return count;
}

/** rouge_score's tokenizer on ASCII text: lowercase, runs of [a-z0-9]. */
function asciiRougeTokens(lowerCase: string, into: string[]): void {
  for (const m of lowerCase.matchAll(/[a-z0-9]+/g)) into.push(m[0]);
}

/**
 * ROUGE-L's tokens: on ASCII text exactly rouge_score's default tokenizer (lowercase, [a-z0-9]
 * runs), so Lion's 0.7 threshold keeps its meaning. Otherwise the text (NFKC, lower-cased) is
 * segmented into words; inside a word, runs of letters, digits and marks of any script are
 * tokens (rouge_score's rule generalised: "café" is a token, not "caf"), except that every Han,
 * kana and Hangul character is a token of its own.
 */
export function rougeTokens(text: string): string[] {
  const tokens: string[] = [];
  const lower = text.normalize('NFKC').toLowerCase();
  if (ASCII_ONLY.test(lower)) {
    asciiRougeTokens(lower, tokens);
    return tokens;
  }
  for (const word of segmentWords(lower)) {
    if (ASCII_ONLY.test(word)) {
      asciiRougeTokens(word, tokens);
      continue;
    }
    for (const run of word.matchAll(WORD_CHARACTERS)) {
      if (!CHARACTER_TOKEN.test(run[0])) {
        tokens.push(run[0]);
        continue;
      }
      // A run may mix scripts ("ラーメンbar" is rare, but "第3章" is common): characters of the
      // character scripts stand alone, anything between them stays together.
      let pending = '';
      for (const ch of run[0]) {
        if (CHARACTER_TOKEN.test(ch)) {
          if (pending !== '') tokens.push(pending);
          pending = '';
          tokens.push(ch);
        } else {
          pending += ch;
        }
      }
      if (pending !== '') tokens.push(pending);
    }
  }
  return tokens;
}
