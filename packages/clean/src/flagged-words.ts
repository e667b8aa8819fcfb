import { cleanTokens } from './clean-tokens';

/**
 * A list of flagged words or phrases (one a line, `#` starts a comment), matched on cleaning
 * tokens, so case and punctuation do not hide a word and a phrase matches its words in order.
 */
export class FlaggedWords {
  private readonly phrases = new Map<string, string[][]>();

  constructor(lines: Iterable<string>) {
    for (const line of lines) {
      const text = line.replace(/#.*/, '').trim();
      if (text === '') continue;
      const words = cleanTokens(text);
      if (words.length === 0) continue;
      const list = this.phrases.get(words[0]!) ?? [];
      list.push(words);
      this.phrases.set(words[0]!, list);
    }
  }

  get size(): number {
    let n = 0;
    for (const list of this.phrases.values()) n += list.length;
    return n;
  }

  /** Flagged words in the text (a phrase counts its words) over all its words, and the first one found. */
  ratio(words: readonly string[]): { ratio: number; first?: string } {
    if (words.length === 0 || this.phrases.size === 0) return { ratio: 0 };
    let flagged = 0;
    let first: string | undefined;
    for (let i = 0; i < words.length; i++) {
      const candidates = this.phrases.get(words[i]!);
      if (!candidates) continue;
      for (const phrase of candidates) {
        if (phrase.every((w, j) => words[i + j] === w)) {
          flagged += phrase.length;
          first ??= phrase.join(' ');
          i += phrase.length - 1;
          break;
        }
      }
    }
    return { ratio: flagged / words.length, ...(first !== undefined ? { first } : {}) };
  }
}
