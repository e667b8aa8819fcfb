import { garbleFeatures } from './text-garble';
import { hashParts, signedUnitFromHash } from './hashing';
import { clamp } from './text-features';
import { overlapTokens } from './text-words';

/**
 * The simulated judge rating an instruction's quality (Ziya2's consistency and readability),
 * recognised by its delimiters. Well-formed instructions get 8-10 on both; keyboard mash, symbol
 * soup, a word repeated over and over or a two-word fragment get low marks, so a client's
 * threshold has something to cut. Deterministic per (model, seed, instruction).
 */

const START = '[The Start of Instruction]';
const END = '[The End of Instruction]';
const NOISE = 0.5;

export interface QualityRatingPrompt {
  instruction: string;
}

export function parseQualityRatingPrompt(text: string): QualityRatingPrompt | null {
  const start = text.indexOf(START);
  const end = text.indexOf(END, start);
  if (start < 0 || end < 0 || !/consistency/i.test(text) || !/readability/i.test(text)) return null;
  return { instruction: text.slice(start + START.length, end).trim() };
}

export interface QualityVerdict {
  consistency: number;
  readability: number;
  explanation: string;
}

export function rateInstruction(prompt: QualityRatingPrompt, ctx: { model: string; seed: number }): QualityVerdict {
  const text = prompt.instruction;
  const f = garbleFeatures(text, overlapTokens(text));
  const fragment = f.words < 3 ? 5 : 0;
  const repetition = 16 * Math.max(0, 0.5 - f.distinct);
  const noise = (part: string) => NOISE * signedUnitFromHash(hashParts('quality', ctx.model, ctx.seed, part, text));
  const consistency = Math.round(clamp(9.2 - 10 * (1 - f.wordLike) - repetition - fragment + noise('c'), 1, 10));
  const readability = Math.round(clamp(9.2 - 12 * (1 - f.wordLike) - 25 * Math.max(0, f.symbols - 0.08) - repetition - fragment + noise('r'), 1, 10));
  const low = Math.min(consistency, readability);
  const explanation =
    low >= 7
      ? 'The instruction is coherent and clearly written.'
      : low >= 4
        ? 'The instruction is understandable but partly unclear or repetitive.'
        : 'The instruction is garbled, degenerate or too fragmentary to follow.';
  return { consistency, readability, explanation: `[llm-sim:${ctx.model}] ${explanation}` };
}

/** The text reply the rating prompt asks for. */
export function qualityRatingText(verdict: QualityVerdict): string {
  return `Consistency: ${verdict.consistency}\nReadability: ${verdict.readability}\nExplanation: ${verdict.explanation}`;
}
