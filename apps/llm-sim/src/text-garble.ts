/**
 * How garbled a piece of text looks, for the simulated models that judge an instruction's quality
 * (the rating prompt) or read it as a language model (perplexity): real models find keyboard mash,
 * digit-letter soup and one word repeated hard to read and unlikely to occur.
 */

const LATIN_WORD = /^[a-z]+$/;
const VOWEL = /[aeiouy]/;
const CONSONANT_RUN = /[bcdfghjklmnpqrstvwxz]{5,}/;
const MIXED = /^(?=.*\p{L})(?=.*\p{N})[\p{L}\p{N}]+$/u;

/** One word (lower-case, as overlapTokens gives them) that no language would write. */
export function isGarbledWord(word: string): boolean {
  if (MIXED.test(word)) return !/^\d+(st|nd|rd|th|s|d|k|m|px|kg|km|cm|mm)$/.test(word);
  if (!LATIN_WORD.test(word)) return false;
  if (word.length >= 3 && !VOWEL.test(word)) return true;
  return CONSONANT_RUN.test(word);
}

export interface GarbleFeatures {
  words: number;
  /** Share of words that are not garbled, 1 for clean text. */
  wordLike: number;
  /** Distinct words over all words; low for degenerate repetition. */
  distinct: number;
  /** Share of characters that are neither letters, digits, spaces nor ordinary punctuation. */
  symbols: number;
}

export function garbleFeatures(text: string, words: readonly string[]): GarbleFeatures {
  const garbled = words.filter(isGarbledWord).length;
  const chars = [...text];
  const symbols = chars.filter((c) => !/[\p{L}\p{N}\p{M}\s.,;:!?'"()\-–—%/&]/u.test(c)).length;
  return {
    words: words.length,
    wordLike: words.length === 0 ? 0 : 1 - garbled / words.length,
    distinct: words.length === 0 ? 0 : new Set(words).size / words.length,
    symbols: chars.length === 0 ? 0 : symbols / chars.length,
  };
}
