/** An imported item as the model-based filters see it. */
export interface CleanCandidate {
  itemId: number;
  /** The item's identity (instructionKey): a semantic duplicate names its kept twin by it. */
  key: string;
  instruction: string;
  input?: string | undefined;
  /** Whether the pool supplied an answer: such a copy is kept before one without. */
  hasAnswer: boolean;
  importOrder: number;
}

/** One benchmark test question to decontaminate against. */
export interface BenchmarkQuestion {
  /** The benchmark's name as the drop reports it, e.g. "mt-bench". */
  name: string;
  /** Position of the question in its benchmark, for the report. */
  index: number;
  text: string;
}

/** What an item is judged on: its instruction with its input, as the models see the item. */
export function candidateText(candidate: Pick<CleanCandidate, 'instruction' | 'input'>): string {
  const input = candidate.input?.trim() ?? '';
  return input === '' ? candidate.instruction : `${candidate.instruction}\n\n${input}`;
}
