import type { CompletionResult, GeneratedChoice, ReplyGenerator } from './api-dialect';
import { generateReply, type ReplyKind } from './reply-engine';
import { countPromptTokens, countTextTokens, truncateToTokens } from './tokens';

/**
 * Chat endpoints (OpenAI chat completions, Anthropic messages): prompts are counted per message,
 * replies come from the reply engine, one per requested choice.
 */
export const chatGenerator: ReplyGenerator = {
  promptTokens: (req) => countPromptTokens(req.system, req.turns),

  generate(req, ctx): CompletionResult {
    const maxTokens = req.maxTokens ?? ctx.contextLimit - ctx.promptTokens;
    const choices: GeneratedChoice[] = [];
    let completionTokens = 0;
    let kind: ReplyKind = 'answer';
    for (let variant = 0; variant < req.n; variant++) {
      const reply = generateReply(req, { profile: ctx.profile, seed: ctx.seed, malformedJudge: ctx.malformedJudge, variant });
      kind = reply.kind;
      const cut = finishChoice(reply.text, req.stop, maxTokens);
      const choice = { ...cut, ...(reply.structured ? { structured: true } : {}), ...(reply.refusal ? { refusal: true } : {}) };
      completionTokens += countTextTokens(choice.text);
      choices.push(choice);
    }
    return { choices, promptTokens: ctx.promptTokens, completionTokens, kind };
  },
};

/** Applies stop sequences first (the model would have stopped there), then the max_tokens cut. */
export function finishChoice(text: string, stop: readonly string[], maxTokens: number): GeneratedChoice {
  let cut = text;
  let stopSequence: string | null = null;
  for (const sequence of stop) {
    const at = cut.indexOf(sequence);
    if (at >= 0) {
      cut = cut.slice(0, at);
      stopSequence = sequence;
    }
  }
  const truncated = truncateToTokens(cut, maxTokens);
  if (truncated.truncated) return { text: truncated.text, finish: 'length', stopSequence: null };
  return { text: cut, finish: stopSequence === null ? 'stop' : 'stop_sequence', stopSequence };
}
