/**
 * The drop record of the clean step. Defined here until merge, exactly as the clean step's package
 * (`@tapir/clean`) defines it; the lead points these at that package then.
 */
export type CleanReason = 'duplicate' | 'near-duplicate' | 'semantic-duplicate' | 'contaminated'
  | 'length' | 'repetition' | 'special-characters' | 'language' | 'flagged-words'
  | 'empty-answer' | 'truncated-answer' | 'perplexity' | 'quality-rating';
export interface CleanEvidence { rule: string; score?: number; threshold?: number;
  twinKey?: string; benchmark?: string; benchmarkQuestion?: string; detail?: string }
export interface CleanDrop { reason: CleanReason; evidence: CleanEvidence }
