/**
 * Why a row left the pool, with what proves it: shared by the rule-based cleaning (this package)
 * and the model-based one (embeddings, perplexity, quality rating), stored with every dropped item
 * and written to `tapir clean`'s dropped.jsonl.
 */
export type CleanReason =
  | 'duplicate'
  | 'near-duplicate'
  | 'semantic-duplicate'
  | 'contaminated'
  | 'length'
  | 'repetition'
  | 'special-characters'
  | 'language'
  | 'flagged-words'
  | 'empty-answer'
  | 'truncated-answer'
  | 'perplexity'
  | 'quality-rating';

export const CLEAN_REASONS: readonly CleanReason[] = [
  'duplicate',
  'near-duplicate',
  'semantic-duplicate',
  'contaminated',
  'length',
  'repetition',
  'special-characters',
  'language',
  'flagged-words',
  'empty-answer',
  'truncated-answer',
  'perplexity',
  'quality-rating',
];

export interface CleanEvidence {
  rule: string;
  score?: number;
  threshold?: number;
  /** The kept row this one duplicates (an item id in a campaign, `file:line` in `tapir clean`). */
  twinKey?: string;
  benchmark?: string;
  benchmarkQuestion?: string;
  detail?: string;
}

export interface CleanDrop {
  reason: CleanReason;
  evidence: CleanEvidence;
}
