import type { RougeLIndex } from './rouge-l';
import { countWords } from './text-words';

export interface ExpansionFilterOptions {
  /** Outputs with fewer words are dropped (Lion drops 3 words or fewer: minWords 4). */
  minWords: number;
  /** Dropped when ROUGE-L against any pool text is above this (Lion: 0.7). */
  maxRougeL: number;
}

export type ExpansionRejectReason = 'too-short' | 'mentions-instruction' | 'too-similar';

export type ExpansionFilterResult = { ok: true } | { ok: false; reason: ExpansionRejectReason; detail: string };

const MENTIONS_INSTRUCTION = /instruction/i;


function quoteShort(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine);
}

/**
 * Lion's filter for teacher-written instructions (docs/method.md, step 8), cheapest check first so the
 * ROUGE-L search only runs on outputs that pass the others: too short to be a task; mentioning
 * "instruction", which almost always means the model talked about the prompt instead of writing
 * a new task; too close to an instruction already in the pool.
 */
export function filterExpandedInstruction(text: string, index: RougeLIndex, opts: ExpansionFilterOptions): ExpansionFilterResult {
  const words = countWords(text);
  if (words < opts.minWords) {
    return { ok: false, reason: 'too-short', detail: `${words} word${words === 1 ? '' : 's'}, fewer than ${opts.minWords}` };
  }
  const mention = MENTIONS_INSTRUCTION.exec(text);
  if (mention) return { ok: false, reason: 'mentions-instruction', detail: `mentions "${mention[0]}"` };
  const match = index.maxSimilarity(text, opts.maxRougeL);
  if (match.above) {
    return {
      ok: false,
      reason: 'too-similar',
      detail: `ROUGE-L ${match.max.toFixed(3)} > ${opts.maxRougeL} against ${quoteShort(match.text ?? '')}`,
    };
  }
  return { ok: true };
}
