import { parseAlpacaPrompt } from './alpaca-prompt';
import { createPrng, hashParts, signedUnitFromHash, unitFromHash } from './hashing';
import type { ModelProfile } from './options';
import { classifyInstruction } from './task-classifier';
import { isGarbledWord } from './text-garble';
import { clamp } from './text-features';
import { COMMON_TOKENS, tokenId, tokenizeWords } from './word-tokenizer';

/**
 * Simulated token log-probabilities, built so that Cherry LLM's Instruction-Following Difficulty,
 * IFD = s(A|Q) / s(A) with s = mean NLL of the answer tokens, is meaningful and controllable:
 * - read on its own, every token has an NLL in [1, 4) that depends only on (model, token text,
 *   position within the text), so the same answer scores the same wherever it appears;
 * - after a recognised Alpaca prefix, each answer token's NLL is that same value times f, the
 *   model's IFD for the instruction (expectedIfd). s(A|Q) / s(A) is then f, up to float error.
 * f follows the model profile: the student's weak categories (Math, Reasoning, code) get a high
 * IFD, and a re-trained student (higher categoryDelta) a lower one, as the curriculum intends.
 */

export interface ScoredToken {
  text: string;
  /** null for the first prompt token: nothing precedes it to condition on. */
  logprob: number | null;
}

export interface AlternativeToken {
  text: string;
  id: number;
  logprob: number;
}

/** IFD at quality 10, and how much each quality point below 10 adds. */
const IFD_AT_TOP_QUALITY = 0.45;
const IFD_PER_QUALITY_POINT = 0.06;
const IFD_MIN = 0.2;
const IFD_MAX = 1.4;
/** Per-instruction spread, so items of one category do not all tie. */
const IFD_NOISE = 0.05;
const MIN_TEXT_NLL = 1;
const TEXT_NLL_SPAN = 3;
/** Sampled tokens are the model's own likely picks: NLL 0.05 .. 0.95. */
const MIN_SAMPLED_NLL = 0.05;
const SAMPLED_NLL_SPAN = 0.9;

/**
 * The IFD that `model` (with `profile`) shows on `instruction`: s(A|Q) / s(A) for any answer
 * scored after the Alpaca prefix of that instruction. q = profile quality + the delta of the
 * instruction's category; f = clamp(0.45 + 0.06 (10 - q), 0.2, 1.4) +/- 0.05 hashed noise. An
 * input, if any, does not move it: the category is the instruction's.
 */
export function expectedIfd(profile: ModelProfile, model: string, instruction: string): number {
  const category = classifyInstruction(instruction);
  const quality = profile.quality + (profile.categoryDelta?.[category] ?? 0);
  const base = clamp(IFD_AT_TOP_QUALITY + IFD_PER_QUALITY_POINT * (10 - quality), IFD_MIN, IFD_MAX);
  return base + IFD_NOISE * signedUnitFromHash(hashParts('ifd', model, instruction));
}

/**
 * A garbled word (keyboard mash, digit-letter soup) is far less likely than a real one, so garbled
 * text has a high perplexity, as under a real language model; the extra NLL scales with the
 * IFD factor like the rest, which leaves s(A|Q) / s(A) unchanged.
 */
const GARBLED_EXTRA_NLL = 4;

/** NLL of one token of a text read on its own, at `position` within that text. */
export function unconditionedNll(model: string, token: string, position: number): number {
  const garbled = isGarbledWord(token.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')) ? GARBLED_EXTRA_NLL : 0;
  return MIN_TEXT_NLL + garbled + TEXT_NLL_SPAN * unitFromHash(hashParts('nll', model, token, position));
}

/**
 * Log-probabilities of every prompt token, the first null. A prompt that starts with the Alpaca
 * template scores its prefix tokens as plain text and its answer tokens scaled by the IFD; any
 * other prompt is plain text throughout (the "answer alone" half of IFD).
 */
export function scorePrompt(profile: ModelProfile, model: string, prompt: string): ScoredToken[] {
  const tokens = tokenizeWords(prompt);
  const alpaca = parseAlpacaPrompt(prompt);
  let nlls: number[];
  if (alpaca === null) {
    nlls = textNlls(model, tokens);
  } else {
    // The prefix ends with a newline, which is always a token of its own: the split is exact.
    let prefixTokens = 0;
    let offset = 0;
    while (offset < alpaca.prefixLength) offset += (tokens[prefixTokens++] as string).length;
    const prefix = tokens.slice(0, prefixTokens).map((token, i) => unconditionedNll(model, token, i));
    const ifd = expectedIfd(profile, model, alpaca.instruction);
    nlls = [...prefix, ...textNlls(model, tokens.slice(prefixTokens)).map((nll) => nll * ifd)];
  }
  return tokens.map((text, i) => ({ text, logprob: i === 0 ? null : -(nlls[i] as number) }));
}

/** Log-probabilities of generated tokens; `start` is the position of the first one after the prompt. */
export function scoreSampled(model: string, tokens: readonly string[], start: number): ScoredToken[] {
  return tokens.map((text, i) => ({
    text,
    logprob: -(MIN_SAMPLED_NLL + SAMPLED_NLL_SPAN * unitFromHash(hashParts('sampled', model, text, start + i))),
  }));
}

/**
 * Up to `count` runner-up tokens for one position, all less likely than the actual token (which
 * is rank 1) and together leaving probability mass unassigned: the j-th gets half the probability
 * of the one before, starting from half of min(p, 1 - p) where p is the actual token's.
 */
export function alternativeTokens(model: string, token: string, position: number, logprob: number, count: number): AlternativeToken[] {
  if (count <= 0) return [];
  const id = tokenId(token);
  const candidates = COMMON_TOKENS.filter((text) => text !== token && tokenId(text) > id);
  const random = createPrng(hashParts('alternatives', model, token, position));
  const start = Math.floor(random() * candidates.length);
  const p = Math.exp(logprob);
  const budget = Math.max(Math.min(p, 1 - p), 1e-9);
  const chosen: string[] = [];
  for (let j = 0; j < Math.min(count, candidates.length); j++) chosen.push(candidates[(start + j) % candidates.length] as string);
  // Ranks follow ids, so a dict keyed by id lists them in rank order.
  return chosen
    .map((text) => ({ text, id: tokenId(text) }))
    .sort((a, b) => a.id - b.id)
    .map((alt, j) => ({ ...alt, logprob: Math.log(budget / 2 ** (j + 1)) }));
}

/**
 * NLLs of a text read on its own. The first token gets the mean of the others rather than a
 * value of its own: alone it has no log-probability (nothing precedes it), while after the
 * instruction it has one, so scorers differ on whether it counts; at the mean, s(A|Q) / s(A) is
 * the IFD either way.
 */
function textNlls(model: string, tokens: readonly string[]): number[] {
  const nlls = tokens.map((token, i) => unconditionedNll(model, token, i));
  if (nlls.length >= 2) nlls[0] = nlls.slice(1).reduce((sum, nll) => sum + nll, 0) / (nlls.length - 1);
  return nlls;
}
