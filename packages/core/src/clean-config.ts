import { z } from 'zod';
import { absentWhenNull, bool, intAtLeast, nonEmptyText, optionalSection, sectionError, share, shareAboveZero } from './config-fields';
import { cleanEmbeddingsSchema, cleanPerplexitySchema, cleanQualityRatingSchema } from './clean-model-config';

/**
 * The `clean:` section (issue 15): which rows leave the pool before any model sees them. On by
 * default with settings that drop only what no instruction-tuning set wants: exact and near
 * copies, copies of the bundled Apache-2.0 benchmark questions, empty or cut-off imported
 * answers, and text that is mostly repetition or symbols. Language and flagged-word filters are
 * off until the user names languages or a word list; the model-based parts (embeddings,
 * perplexity, quality rating) are off until configured.
 */

/** Benchmarks whose questions tapir ships (packages/clean/benchmarks, Apache-2.0 from lm-sys/FastChat). */
export const BUNDLED_BENCHMARKS = ['mt-bench', 'vicuna-bench'] as const;
export type BundledBenchmark = (typeof BUNDLED_BENCHMARKS)[number];

const dedupSchema = z.strictObject(
  {
    // Same normalised instruction and input (case, whitespace, Unicode forms folded).
    exact: bool().default(true),
    // MinHash LSH over word shingles; the kept copy is the one with an answer, then the first imported.
    near: bool().default(true),
    jaccard: shareAboveZero().default(0.8),
    // Words per shingle; CJK text counts each character as a word.
    shingleWords: intAtLeast(1).default(2),
  },
  sectionError('exact, near, jaccard, shingleWords'),
);

const decontaminateSchema = z.strictObject(
  {
    enabled: bool().default(true),
    // Bundled names (mt-bench, vicuna-bench) or pool files in any format tapir imports.
    benchmarks: z
      .array(nonEmptyText, { error: 'expected a list of bundled benchmark names or file paths' })
      .default(() => [...BUNDLED_BENCHMARKS]),
    // GPT-3's rule: any shared run of this many words is contamination.
    ngram: intAtLeast(4).default(13),
    // A question is also caught as a lightly edited copy: its words found in the row with at most
    // one edit per this many words (at least one edit; exact only below minEditedWords words).
    wordsPerEdit: intAtLeast(2).default(10),
    minEditedWords: intAtLeast(2).default(6),
  },
  sectionError('enabled, benchmarks, ngram, wordsPerEdit, minEditedWords'),
);

const qualitySchema = z.strictObject(
  {
    // Bounds on the instruction (with its input); absent bounds are not checked.
    minChars: intAtLeast(0).default(2),
    maxChars: intAtLeast(1).optional(),
    minWords: intAtLeast(0).default(1),
    maxWords: intAtLeast(1).optional(),
    // Data-Juicer's character_repetition_filter (10-grams) and word_repetition_filter (5-grams).
    maxCharRepetition: share().default(0.5),
    charRepetitionN: intAtLeast(2).default(10),
    maxWordRepetition: share().default(0.5),
    wordRepetitionN: intAtLeast(2).default(5),
    // Share of characters that are neither letters, digits, marks nor whitespace, on the instruction.
    maxSpecialCharRatio: share().default(0.5),
    // Only text this long is judged: a few characters of symbols ("x += 1;") is not noise.
    specialCharMinChars: intAtLeast(0).default(20),
    // ISO 639-1 codes; empty: any language.
    languages: z.array(nonEmptyText, { error: 'expected a list of ISO 639-1 language codes' }).default(() => []),
    // Shorter text is not language-checked: identification on a few words is a guess.
    languageMinChars: intAtLeast(1).default(40),
    // A file of words or phrases, one a line; none by default.
    flaggedWordsFile: nonEmptyText.optional(),
    maxFlaggedWordRatio: share().default(0),
    // Imported answers (a row's output, teacher or student answer) that are blank or cut off.
    dropEmptyAnswers: bool().default(true),
    dropTruncatedAnswers: bool().default(true),
  },
  sectionError('length, repetition, special-character, language, flagged-word and answer settings'),
);

export const cleanConfigSchema = z.strictObject(
  {
    enabled: bool().default(true),
    dedup: optionalSection(dedupSchema),
    decontaminate: optionalSection(decontaminateSchema),
    quality: optionalSection(qualitySchema),
    // The model-based filters (clean-model-config.ts): each runs only when its section is given.
    embeddings: absentWhenNull(cleanEmbeddingsSchema),
    perplexity: absentWhenNull(cleanPerplexitySchema),
    qualityRating: absentWhenNull(cleanQualityRatingSchema),
  },
  sectionError('enabled, dedup, decontaminate, quality, embeddings, perplexity, qualityRating'),
);

export const cleanSection = () => optionalSection(cleanConfigSchema);

export type CleanConfig = z.output<typeof cleanConfigSchema>;
