import { generateAnswer } from './answer-generator';
import { lengthenTo, requestedInstructionTokens } from './answer-length';
import { PADDING_CLAUSES } from './expansion-templates';
import { answerClassifyPrompt, parseClassifyPrompt } from './classify-prompt';
import type { GenerationRequest } from './generation-request';
import { expandInstruction, parseExpansionPrompt } from './instruction-expansion';
import { parseSynthesisPrompt, synthesizeInstruction } from './instruction-synthesis';
import { isSingleGradingPrompt, judgePairwise, judgeSingle, judgeVerdict, pairwiseVerdict, parsePairwisePrompt, parseVerdictPrompt } from './judge';
import { parseQualityRatingPrompt, qualityRatingText, rateInstruction } from './quality-rating';
import { fillSchema } from './structured-reply';
import type { ModelProfile } from './options';

/** What the model was asked to do; 'completion' and 'logprobs' are /v1/completions replies. */
export type ReplyKind = 'answer' | 'judge' | 'classify' | 'expand' | 'synthesize' | 'rate' | 'completion' | 'logprobs';

export interface ReplyContext {
  profile: ModelProfile;
  seed: number;
  /** Whether this request drew a malformed-judge fault; only judge prompts honour it. */
  malformedJudge: boolean;
  variant: number;
}

export interface Reply {
  kind: ReplyKind;
  text: string;
  /** the text is the JSON object of the request's reply format */
  structured?: boolean;
  /** the model declined the structured request (a malformed-judge fault) */
  refusal?: boolean;
}

/**
 * Decides what role the simulated model plays for a chat request, from the prompt alone (the same
 * model name can be teacher, judge and annotator): judge, classify and instruction-expansion
 * prompts are recognised by their formats; everything else is an instruction to answer.
 */
export function generateReply(req: GenerationRequest, ctx: ReplyContext): Reply {
  const format = req.replyFormat;
  if (format === undefined) return generateTextReply(req, ctx);
  // A structured request: the judge's verdict goes into the schema's fields; any other reply
  // fills its string fields with what the model would have written.
  const rating = parseQualityRatingPrompt(promptOf(req));
  if (rating !== null) {
    const verdict = rateInstruction(rating, { model: req.model, seed: ctx.seed });
    return { kind: 'rate', text: JSON.stringify(fillSchema(format.schema, [verdict.consistency, verdict.readability], verdict.explanation)), structured: true };
  }
  const pairwise = parsePairwisePrompt(promptOf(req));
  if (pairwise !== null) {
    const verdict = pairwiseVerdict(pairwise, { model: req.model, seed: ctx.seed, malformed: ctx.malformedJudge });
    if ('malformed' in verdict) return { kind: 'judge', text: verdict.malformed, refusal: true };
    return { kind: 'judge', text: JSON.stringify(fillSchema(format.schema, verdict.scores, verdict.explanation)), structured: true };
  }
  const reply = generateTextReply(req, ctx);
  return { kind: reply.kind, text: JSON.stringify(fillSchema(format.schema, [], reply.text)), structured: true };
}

/** Prompt builders may put the rubric in the system message and the material in the user turn. */
function promptOf(req: GenerationRequest): string {
  const lastUser = lastUserText(req);
  return req.system.length > 0 ? `${req.system}\n\n${lastUser}` : lastUser;
}

function generateTextReply(req: GenerationRequest, ctx: ReplyContext): Reply {
  const lastUser = lastUserText(req);
  const prompt = promptOf(req);
  const judgeCtx = { model: req.model, seed: ctx.seed, malformed: ctx.malformedJudge };

  const rating = parseQualityRatingPrompt(prompt);
  if (rating !== null) return { kind: 'rate', text: qualityRatingText(rateInstruction(rating, { model: req.model, seed: ctx.seed })) };
  const pairwise = parsePairwisePrompt(prompt);
  if (pairwise !== null) return { kind: 'judge', text: judgePairwise(pairwise, judgeCtx) };
  const verdict = parseVerdictPrompt(prompt);
  if (verdict !== null) return { kind: 'judge', text: judgeVerdict(verdict, judgeCtx) };
  if (isSingleGradingPrompt(prompt)) return { kind: 'judge', text: judgeSingle(prompt, judgeCtx) };
  const classify = parseClassifyPrompt(prompt);
  if (classify !== null) return { kind: 'classify', text: answerClassifyPrompt(classify, req.model) };
  const synthesis = parseSynthesisPrompt(prompt);
  if (synthesis !== null) {
    const made = synthesizeInstruction({ ...synthesis, model: req.model, seed: ctx.seed, requestSeed: req.seed, temperature: req.temperature, variant: ctx.variant });
    return { kind: 'synthesize', text: made.text };
  }
  const seedText = parseExpansionPrompt(prompt);
  if (seedText !== null) {
    const expansion = expandInstruction({
      model: req.model, seedText, seed: ctx.seed, requestSeed: req.seed, temperature: req.temperature, variant: ctx.variant,
    });
    const minTokens = requestedInstructionTokens(seedText);
    return { kind: 'expand', text: minTokens === null ? expansion.text : lengthenTo(expansion.text, minTokens, PADDING_CLAUSES) };
  }

  const answer = generateAnswer({
    model: req.model,
    profile: ctx.profile,
    instruction: lastUser,
    seed: ctx.seed,
    requestSeed: req.seed,
    temperature: req.temperature,
    system: req.system,
    variant: ctx.variant,
  });
  return { kind: 'answer', text: answer.text };
}

function lastUserText(req: GenerationRequest): string {
  for (let i = req.turns.length - 1; i >= 0; i--) {
    const turn = req.turns[i];
    if (turn?.role === 'user') return turn.text;
  }
  return '';
}
