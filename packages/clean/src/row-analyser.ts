import type { CleanConfig } from '@tapir/core';
import { isEmptyAnswer, truncationSign } from './answer-checks';
import type { BenchmarkIndex } from './benchmark-index';
import type { CleanDrop } from './clean-drop';
import { cleanTokens, promptText } from './clean-tokens';
import { ExactIndex } from './exact-index';
import type { FlaggedWords } from './flagged-words';
import { detectLanguage } from './language';
import type { MinHasher, MinHashSignature } from './minhasher';
import { charRepetitionRatio, wordRepetitionRatio } from './repetition';
import { shingleHashes } from './shingles';
import { specialCharRatio } from './special-characters';

/** The text of one pool row as cleaning reads it. */
export interface CleanRowText {
  instruction: string;
  input: string;
  /** The answers imported with the row (its output, teacher or student answer); empty when none. */
  answers: readonly string[];
}

export type CleanSettings = Pick<CleanConfig, 'dedup' | 'decontaminate' | 'quality'>;

/**
 * What a row is on its own: the drop of a per-row rule or of decontamination, or else what the
 * duplicate indexes need (its 64-bit identity, word shingles and LSH band keys). Nothing here
 * depends on the other rows, so rows can be analysed on any thread and in any order; only the
 * duplicate decision (cleaner.ts) has to follow the pool's order.
 */
export type RowAnalysis = { drop: CleanDrop } | { drop: null; identity: [number, number]; shingles: Uint32Array; signature: MinHashSignature };

export interface RowAnalyserParts {
  /** Null when decontamination is off or no benchmark is configured. */
  benchmarks: BenchmarkIndex | null;
  flaggedWords: FlaggedWords | null;
}

const NO_SHINGLES = new Uint32Array(0);
const NO_SIGNATURE: MinHashSignature = { keys: new Uint32Array(0), sketch: new Int32Array(0) };

export class RowAnalyser {
  constructor(
    readonly settings: CleanSettings,
    private readonly parts: RowAnalyserParts,
    private readonly hasher: MinHasher,
  ) {}

  analyse(row: CleanRowText): RowAnalysis {
    const text = promptText(row.instruction, row.input);
    const words = cleanTokens(text);
    const drop = this.ruleDrop(row, text, words) ?? this.contamination(words);
    return drop ? { drop } : this.dedupKeys(row, words);
  }

  /**
   * What the duplicate indexes keep of a row, with no rule applied: also how a row kept by an
   * earlier pass is remembered. `words` are the row's cleaning tokens when the caller has them.
   */
  dedupKeys(row: Pick<CleanRowText, 'instruction' | 'input'>, words = cleanTokens(promptText(row.instruction, row.input))): RowAnalysis & { drop: null } {
    const identity = ExactIndex.identity(row.instruction, row.input);
    const { dedup } = this.settings;
    if (!dedup.near) return { drop: null, identity, shingles: NO_SHINGLES, signature: NO_SIGNATURE };
    const shingles = shingleHashes(words, dedup.shingleWords);
    return { drop: null, identity, shingles, signature: this.hasher.signature(shingles) };
  }

  private contamination(words: readonly string[]): CleanDrop | null {
    if (!this.settings.decontaminate.enabled || !this.parts.benchmarks) return null;
    return this.parts.benchmarks.checkWords(words);
  }

  /** The per-row rules (answers, length, repetition, symbols, language, flagged words). */
  private ruleDrop(row: CleanRowText, text: string, words: readonly string[]): CleanDrop | null {
    const q = this.settings.quality;
    for (const answer of row.answers) {
      if (q.dropEmptyAnswers && isEmptyAnswer(answer)) return { reason: 'empty-answer', evidence: { rule: 'empty-answer', detail: 'an imported answer is blank' } };
      const cut = q.dropTruncatedAnswers ? truncationSign(answer) : null;
      if (cut) return { reason: 'truncated-answer', evidence: { rule: 'truncated-answer', detail: `an imported answer looks cut off: ${cut}` } };
    }
    const chars = text.length;
    if (chars < q.minChars) return lengthDrop('min-chars', chars, q.minChars);
    if (q.maxChars !== undefined && chars > q.maxChars) return lengthDrop('max-chars', chars, q.maxChars);
    if (words.length < q.minWords) return lengthDrop('min-words', words.length, q.minWords);
    if (q.maxWords !== undefined && words.length > q.maxWords) return lengthDrop('max-words', words.length, q.maxWords);

    const charRepetition = charRepetitionRatio(text, q.charRepetitionN);
    if (charRepetition > q.maxCharRepetition) {
      return { reason: 'repetition', evidence: { rule: 'char-repetition', score: round3(charRepetition), threshold: q.maxCharRepetition, detail: `${q.charRepetitionN}-character n-grams` } };
    }
    const wordRepetition = wordRepetitionRatio(words, q.wordRepetitionN);
    if (wordRepetition > q.maxWordRepetition) {
      return { reason: 'repetition', evidence: { rule: 'word-repetition', score: round3(wordRepetition), threshold: q.maxWordRepetition, detail: `${q.wordRepetitionN}-word n-grams` } };
    }
    // On the instruction alone: an input of code or data is symbols by nature.
    if (row.instruction.length >= q.specialCharMinChars) {
      const special = specialCharRatio(row.instruction);
      if (special > q.maxSpecialCharRatio) {
        return { reason: 'special-characters', evidence: { rule: 'special-char-ratio', score: round3(special), threshold: q.maxSpecialCharRatio, detail: 'share of characters that are not letters, digits or spaces in the instruction' } };
      }
    }
    if (q.languages.length > 0 && row.instruction.length >= q.languageMinChars) {
      const language = detectLanguage(row.instruction);
      if (language !== '' && !q.languages.includes(language)) {
        return { reason: 'language', evidence: { rule: 'language-id', detail: `detected "${language}", allowed: ${q.languages.join(', ')}` } };
      }
    }
    if (this.parts.flaggedWords) {
      const flagged = this.parts.flaggedWords.ratio(words);
      if (flagged.ratio > q.maxFlaggedWordRatio) {
        return { reason: 'flagged-words', evidence: { rule: 'flagged-word-ratio', score: round3(flagged.ratio), threshold: q.maxFlaggedWordRatio, detail: `first flagged: "${flagged.first}"` } };
      }
    }
    return null;
  }
}

function lengthDrop(rule: string, score: number, threshold: number): CleanDrop {
  return { reason: 'length', evidence: { rule, score, threshold } };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
