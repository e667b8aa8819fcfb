import type { CleanConfig } from '@tapir/core';
import { isEmptyAnswer, truncationSign } from './answer-checks';
import type { BenchmarkIndex } from './benchmark-index';
import type { CleanDrop } from './clean-drop';
import { cleanTokens, promptText } from './clean-tokens';
import { ExactIndex } from './exact-index';
import type { FlaggedWords } from './flagged-words';
import { detectLanguage } from './language';
import { MinHashIndex } from './minhash-index';
import { charRepetitionRatio, wordRepetitionRatio } from './repetition';
import { shingleHashes } from './shingles';
import { specialCharRatio } from './special-characters';

/** One pool row as cleaning sees it. `ref` is the caller's number for it, unique and stable. */
export interface CleanRow {
  ref: number;
  instruction: string;
  input: string;
  /** The answers imported with the row (its output, teacher or student answer); empty when none. */
  answers: readonly string[];
}

export interface CleanerParts {
  /** Null when decontamination is off or no benchmark is configured. */
  benchmarks: BenchmarkIndex | null;
  flaggedWords: FlaggedWords | null;
  /** How a drop names the kept row it duplicates (an item id, `file:line`). */
  describeRef?: (ref: number) => string;
}

export type CleanSettings = Pick<CleanConfig, 'dedup' | 'decontaminate' | 'quality'>;

/**
 * The rule-based cleaning of a pool, one row at a time in the order that decides which copy of a
 * duplicate is kept (the caller's: rows with an answer first, then import order). A row is judged
 * by the cheap per-row rules first, then against the benchmarks, then against the rows kept before
 * it; only kept rows enter the duplicate indexes, so a row is never dropped as the twin of a row
 * that was itself dropped.
 */
export class Cleaner {
  private readonly exact = new ExactIndex();
  private readonly near: MinHashIndex;
  private readonly describe: (ref: number) => string;

  constructor(
    readonly settings: CleanSettings,
    private readonly parts: CleanerParts,
  ) {
    this.near = new MinHashIndex(settings.dedup.jaccard);
    this.describe = parts.describeRef ?? String;
  }

  get bands() {
    return this.near.shape;
  }

  /** The row's drop, or null when it is kept (and then remembered as a kept row). */
  judge(row: CleanRow): CleanDrop | null {
    const words = cleanTokens(promptText(row.instruction, row.input));
    const drop = this.ruleDrop(row, words) ?? this.contamination(words);
    if (drop) return drop;
    return this.duplicateOrKeep(row, words);
  }

  /** Remembers a row kept earlier (a campaign's kept pool, read back after a restart). */
  remember(row: CleanRow): void {
    const identity = ExactIndex.identity(row.instruction, row.input);
    if (this.settings.dedup.exact) this.exact.add(identity, row.ref);
    if (this.settings.dedup.near) this.near.add(row.ref, shingleHashes(cleanTokens(promptText(row.instruction, row.input)), this.settings.dedup.shingleWords));
  }

  private duplicateOrKeep(row: CleanRow, words: readonly string[]): CleanDrop | null {
    const { dedup } = this.settings;
    const identity = ExactIndex.identity(row.instruction, row.input);
    if (dedup.exact) {
      const twin = this.exact.find(identity);
      if (twin >= 0) return { reason: 'duplicate', evidence: { rule: 'exact', twinKey: this.describe(twin), detail: 'same instruction and input after case, whitespace and Unicode folding' } };
    }
    if (dedup.near) {
      const shingles = shingleHashes(words, dedup.shingleWords);
      const keys = this.near.bandKeys(shingles);
      const twin = this.near.findTwin(shingles, keys);
      if (twin) {
        return {
          reason: 'near-duplicate',
          evidence: { rule: 'minhash-jaccard', score: round3(twin.jaccard), threshold: dedup.jaccard, twinKey: this.describe(twin.ref), detail: `${dedup.shingleWords}-word shingles` },
        };
      }
      this.near.add(row.ref, shingles, keys);
    }
    if (dedup.exact) this.exact.add(identity, row.ref);
    return null;
  }

  private contamination(words: readonly string[]): CleanDrop | null {
    if (!this.settings.decontaminate.enabled || !this.parts.benchmarks) return null;
    return this.parts.benchmarks.checkWords(words);
  }

  /** The per-row rules (answers, length, repetition, symbols, language, flagged words). */
  private ruleDrop(row: CleanRow, words: readonly string[]): CleanDrop | null {
    const q = this.settings.quality;
    for (const answer of row.answers) {
      if (q.dropEmptyAnswers && isEmptyAnswer(answer)) return { reason: 'empty-answer', evidence: { rule: 'empty-answer', detail: 'an imported answer is blank' } };
      const cut = q.dropTruncatedAnswers ? truncationSign(answer) : null;
      if (cut) return { reason: 'truncated-answer', evidence: { rule: 'truncated-answer', detail: `an imported answer looks cut off: ${cut}` } };
    }
    const text = promptText(row.instruction, row.input);
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

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
