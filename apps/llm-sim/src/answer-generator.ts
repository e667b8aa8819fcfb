import { createPrng, hashParts, pick, signedUnitFromHash } from './hashing';
import type { ModelProfile } from './options';
import { requestedAnswerTokens } from './answer-length';
import { classifyInstruction } from './task-classifier';
import { tokensOfLength } from './tokens';
import type { TaskCategory } from './task-keywords';
import { clamp, contentWords, leadingWords } from './text-features';

export interface AnswerRequest {
  model: string;
  profile: ModelProfile;
  instruction: string;
  seed: number;
  /** The request's own `seed` parameter, if any: a different sample, so possibly different quality. */
  requestSeed?: number;
  temperature?: number;
  /** System text: changes the wording (a refinement prompt gets a fresh answer) but not the quality. */
  system?: string;
  /** Choice index for n > 1; 0 reproduces the n = 1 answer. */
  variant: number;
}

export interface SimulatedAnswer {
  text: string;
  quality: number;
  category: TaskCategory;
}

const SENTENCES = [
  'The central idea behind {t} is worth stating plainly before going into detail.',
  'A careful look at {t} shows which parts of the request matter most.',
  'In practice, {t} depends on the context given in the question.',
  'One useful way to approach {t} is to break it into smaller steps.',
  'It also helps to check the result against the original request about {t}.',
  'Several details about {t} deserve a closer look.',
  'A concrete example makes the role of {t} easier to see.',
  'Compared with common alternatives, {t} has clear strengths and limits.',
  'The answer stays consistent with what is generally known about {t}.',
  'Where {t} is ambiguous, the most common interpretation is assumed.',
  'The reasoning about {t} follows from the facts stated above.',
  'Taken together, these observations about {t} lead to a clear conclusion.',
];
const HEDGES = ['This part may not be fully accurate.', 'Some of this is a rough guess.', 'Details are omitted here.'];
const CODE_CATEGORIES = new Set<TaskCategory>(['Code Generation', 'Code Debug', 'Computer Science']);

/**
 * The simulated answer to an instruction. Its first sentence carries the exact marker
 * `quality X.Y/10` that the simulated judge reads back, so MFD reflects the model profiles.
 * Better answers are longer and more structured, so heuristic scoring agrees with the marker.
 */
export function generateAnswer(req: AnswerRequest): SimulatedAnswer {
  const category = classifyInstruction(req.instruction);
  const delta = req.profile.categoryDelta?.[category] ?? 0;
  const noise = signedUnitFromHash(hashParts('quality', req.model, req.instruction, req.seed, req.requestSeed, req.variant));
  const quality = Math.round(clamp(req.profile.quality + delta + noise, 1, 10) * 10) / 10;

  const header = `[llm-sim:${req.model}] Simulated answer (quality ${quality.toFixed(1)}/10, category ${category}).`;
  const random = createPrng(hashParts('wording', req.model, req.instruction, req.system, req.seed, req.requestSeed, req.temperature, req.variant));
  const topics = contentWords(req.instruction, 12);
  const topic = () => (topics.length > 0 ? pick(topics, random) : 'the request');
  const targetWords = Math.round((10 + 14 * quality) * (req.profile.verbosity ?? 1));

  const parts: string[] = [`${header} Regarding "${leadingWords(req.instruction, 12)}":`];
  let words = 16;
  let sentencesInParagraph = 0;
  while (words < targetWords) {
    const sentence = quality < 5 && random() < 0.25 ? pick(HEDGES, random) : pick(SENTENCES, random).replace('{t}', topic());
    parts.push(sentence);
    words += sentence.split(' ').length;
    // Good answers read as paragraphs; weak ones as one run-on block.
    if (quality >= 6 && ++sentencesInParagraph >= 4) {
      parts.push('\n\n');
      sentencesInParagraph = 0;
    }
  }
  // Asked for a long answer ([llm-sim:answer-tokens=N]): more of the same, before the closing points.
  const minTokens = requestedAnswerTokens(req.instruction);
  let length = parts.join(' ').length;
  while (minTokens !== null && tokensOfLength(length) < minTokens) {
    const sentence = pick(SENTENCES, random).replace('{t}', topic());
    parts.push(sentence);
    length += sentence.length + 1;
    if (++sentencesInParagraph >= 4) {
      parts.push('\n\n');
      sentencesInParagraph = 0;
    }
  }
  if (quality >= 7) parts.push(`\n\nKey points:\n1. Focus on ${topic()}.\n2. Relate it to ${topic()}.\n3. Verify the result.`);
  if (quality >= 6 && CODE_CATEGORIES.has(category)) parts.push(`\n\n\`\`\`\n// simulated code about ${topic()}\n\`\`\``);
  const text = parts.join(' ').replace(/\s*\n\n\s*/g, '\n\n').trim();
  return { text, quality, category };
}
