/**
 * Instruction-Following Difficulty (IFD), after Cherry LLM (Li et al., NAACL 2024; docs/method.md,
 * step 5): s(A|Q) is the student's mean token cross-entropy on the answer after the instruction
 * prompt, s(A) the same on the answer alone, IFD = s(A|Q) / s(A). A high IFD means the
 * instruction barely helps the student produce the answer: the student has not learnt to follow
 * this kind of instruction. Both scores come from one echoed completion request each, whose
 * prompt is the prefix followed by the answer.
 */

export const IFD_PROMPT_VERSION = 'ifd-v1';

/**
 * Cherry LLM scores with the Alpaca prompt, so the student sees the layout it was tuned on. An
 * input of only whitespace counts as none, as it would add an empty "### Input:" section.
 */
export function ifdPrefix(instruction: string, input: string): string {
  if (input.trim() === '') {
    return (
      'Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n' +
      `### Instruction:\n${instruction}\n\n### Response:\n`
    );
  }
  return (
    'Below is an instruction that describes a task, paired with an input that provides further context. ' +
    'Write a response that appropriately completes the request.\n\n' +
    `### Instruction:\n${instruction}\n\n### Input:\n${input}\n\n### Response:\n`
  );
}

/** Log-probabilities summed over the answer's tokens. */
export interface TargetSpan {
  /** Tokens that had a log-probability. */
  tokens: number;
  sumLogprob: number;
}

/** The `logprobs` object of an OpenAI legacy completions choice (vLLM with echo: true, logprobs: k). */
export interface CompletionLogprobs {
  tokens: readonly string[];
  token_logprobs: readonly (number | null)[];
  text_offset: readonly number[];
}

/**
 * The answer's span in an echoed completion: tokens that start at or after the prefix
 * (prefixChars) and before the end of the prompt (promptChars), which leaves out the tokens the
 * server generated after the prompt (max_tokens is at least 1 on some servers). A token
 * straddling the prefix boundary belongs to the prefix; the Alpaca prefix ends in a newline, where
 * tokenizers cut anyway. Null log-probabilities (the very first token of a prompt has no context)
 * are skipped and not counted.
 */
export function targetSpanLogprobs(logprobs: CompletionLogprobs, prefixChars: number, promptChars: number): TargetSpan {
  const { tokens, token_logprobs: values, text_offset: offsets } = logprobs;
  if (values.length !== tokens.length || offsets.length !== tokens.length) {
    throw new RangeError(
      `targetSpanLogprobs: tokens, token_logprobs and text_offset differ in length (${tokens.length}, ${values.length}, ${offsets.length})`,
    );
  }
  if (!(Number.isInteger(prefixChars) && Number.isInteger(promptChars) && prefixChars >= 0 && prefixChars <= promptChars)) {
    throw new RangeError(`targetSpanLogprobs: expected integers 0 <= prefixChars <= promptChars, got ${prefixChars} and ${promptChars}`);
  }
  let count = 0;
  let sum = 0;
  offsets.forEach((offset, i) => {
    const value = values[i];
    if (offset < prefixChars || offset >= promptChars || value === null || value === undefined) return;
    count++;
    sum += value;
  });
  return { tokens: count, sumLogprob: sum };
}

/** One position of vLLM's `prompt_logprobs`: token id -> its log-probability at that position. */
export type PromptLogprobsEntry = Record<string, { logprob: number; rank?: number | null; decoded_token?: string | null }>;

interface Step {
  /** Offset in the prompt text where the entry's token starts. */
  from: number;
  logprob: number | null;
}

/**
 * The answer's span from vLLM's `prompt_logprobs` extra field (a completion request with
 * prompt_logprobs: k, no echo), for a prompt that is prefixText + targetText.
 *
 * Each entry maps token ids to log-probabilities: the prompt token at that position plus the
 * top-k alternatives. vLLM writes the prompt token first, but that order does not survive
 * JSON.parse, which sorts integer-like keys, and the rank does not identify it either (rank 1 is
 * the model's favourite, not the prompt's token). So the prompt token is the entry whose
 * decoded_token continues the prompt text, which is why the text is needed. The first entry is
 * null (the first token has no context) and its text is unknown: it may be a BOS token with no
 * text or the prompt's first word. Offsets are therefore followed as a set of possibilities, and
 * the one walk that spells the whole prompt text exactly is kept. Ask for prompt_logprobs: 0 or 1
 * to keep the entries small.
 *
 * Tokens that start at or after prefixText.length are the answer; as in targetSpanLogprobs a
 * token straddling the boundary belongs to the prefix and a null entry is not counted.
 */
export function targetSpanFromPromptLogprobs(
  promptLogprobs: readonly (PromptLogprobsEntry | null)[],
  prefixText: string,
  targetText: string,
): TargetSpan {
  const text = prefixText + targetText;
  // steps[i]: offset after entry i -> how entry i got there.
  const steps: Map<number, Step>[] = [];
  let frontier: number[] = [0];
  promptLogprobs.forEach((entry, i) => {
    const next = new Map<number, Step>();
    if (entry === null) {
      if (i !== 0) throw new Error(`prompt_logprobs entry ${i} is null; only the first entry may be`);
      // Unknown text: the first token may end anywhere (or be a BOS token ending at 0).
      for (let end = 0; end <= text.length; end++) next.set(end, { from: 0, logprob: null });
    } else {
      for (const from of frontier) {
        for (const value of Object.values(entry)) {
          const piece = value.decoded_token;
          if (piece === undefined || piece === null || !text.startsWith(piece, from)) continue;
          const to = from + piece.length;
          if (!next.has(to)) next.set(to, { from, logprob: value.logprob });
        }
      }
    }
    if (next.size === 0) {
      throw new Error(`prompt_logprobs entry ${i} has no decoded_token that continues the prompt text; the tokens do not spell the prompt`);
    }
    steps.push(next);
    frontier = [...next.keys()];
  });

  let count = 0;
  let sum = 0;
  let end = text.length;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]?.get(end);
    if (step === undefined) {
      throw new Error('prompt_logprobs do not spell the prompt text exactly (prefix + target)');
    }
    if (step.from >= prefixText.length && step.logprob !== null) {
      count++;
      sum += step.logprob;
    }
    end = step.from;
  }
  if (end !== 0) throw new Error('prompt_logprobs do not spell the prompt text exactly (prefix + target)');
  return { tokens: count, sumLogprob: sum };
}

/** Mean negative log-likelihood per token: the cross-entropy s(A|Q) or s(A) of Cherry LLM. */
export function meanNll(span: TargetSpan): number {
  if (span.tokens <= 0) throw new RangeError('meanNll: the span has no tokens with a log-probability');
  return -span.sumLogprob / span.tokens;
}

/**
 * IFD = s(A|Q) / s(A). s(A) must be a positive finite number: an answer the student predicts
 * perfectly without the instruction (s(A) = 0) has no meaningful ratio.
 */
export function computeIfd(sAQ: number, sA: number): number {
  if (!(Number.isFinite(sA) && sA > 0)) throw new RangeError(`computeIfd: s(A) must be a positive finite number, got ${sA}`);
  if (!Number.isFinite(sAQ)) throw new RangeError(`computeIfd: s(A|Q) must be a finite number, got ${sAQ}`);
  return sAQ / sA;
}
