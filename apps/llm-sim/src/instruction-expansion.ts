import {
  CATEGORY_MATERIAL, FIRST_NAMES, FLAWED_SENTENCES, HUMAN_LANGUAGES, MADE_UP_NOUNS, PADDING_CLAUSES, PLAIN_SENTENCES,
  PROGRAMMING_LANGUAGES, type CategoryMaterial,
} from './expansion-templates';
import { createPrng, hashParts, pick, unitFromHash } from './hashing';
import { rougeL } from './rouge-l';
import { classifyInstruction } from './task-classifier';
import type { TaskCategory } from './task-keywords';
import { wordCount } from './text-features';

/**
 * The simulated Instruction Creator (WizardLM's in-breadth evolving prompt, as Lion and TAPIR use
 * it to expand the hard instructions): the user message ends with "#Given Instruction#:\n<seed>"
 * and "\n\n#Created Instruction#:". The reply is a new instruction that the simulator's own
 * classifier puts in the seed's category, of similar length, built from that category's
 * templates and topic bank rather than the seed's words. A small hashed share fails the way real
 * teachers do, so the caller's filters have something to catch.
 */

const GIVEN_MARKER = /#Given Instruction#:[^\S\n]*\r?\n/;
const CREATED_MARKER = /\n\s*#Created Instruction#:/g;
/** Input, if any, follows the seed instruction after a blank line. */
const BLANK_LINE = /\r?\n[^\S\n]*\r?\n/;

/** Lion's two cheap failure modes, about 5% each. */
const TOO_SHORT_SHARE = 0.05;
const MENTIONS_SHARE = 0.05;
const TOO_SHORT = ['Write a poem.', 'Try again.', 'Same task.', 'Do this.', 'Explain it.', 'Solve it.', 'Any topic.'];
const MENTIONS = ['Here is a new instruction: ', 'New instruction: ', 'Created instruction: ', 'Sure! The new instruction is: '];

/** Good replies stay well under the usual ROUGE-L >= 0.7 "copied" cut. */
const MAX_OVERLAP = 0.5;
/** Accepted length, in words, relative to the seed. */
const MIN_LENGTH_RATIO = 0.67;
const MAX_LENGTH_RATIO = 1.5;
const MAX_ATTEMPTS = 24;
/** Pad until at least this share of the seed's word count. */
const MIN_LENGTH_SHARE = 0.85;

export interface ExpansionRequest {
  model: string;
  /** The seed as given: its instruction, possibly followed by a blank line and its input. */
  seedText: string;
  seed: number;
  requestSeed?: number;
  temperature?: number;
  variant: number;
}

export interface Expansion {
  text: string;
  /** The seed's category, which a good reply keeps. */
  category: TaskCategory;
  flaw: 'too_short' | 'mentions_instruction' | null;
}

/** The seed between the two markers, or null when the prompt is not an expansion prompt. */
export function parseExpansionPrompt(text: string): string | null {
  const given = GIVEN_MARKER.exec(text);
  if (given === null) return null;
  const rest = text.slice(given.index + given[0].length);
  const created = [...rest.matchAll(CREATED_MARKER)].at(-1);
  if (created === undefined) return null;
  const seed = rest.slice(0, created.index).trim();
  return seed.length > 0 ? seed : null;
}

export function expandInstruction(req: ExpansionRequest): Expansion {
  const category = classifyInstruction(req.seedText);
  const key = [req.model, req.seedText, req.seed, req.requestSeed, req.temperature, req.variant] as const;
  const random = createPrng(hashParts('expand', ...key));
  const good = createInstruction(req.seedText, category, random);
  const flawDraw = unitFromHash(hashParts('expand-flaw', ...key));
  if (flawDraw < TOO_SHORT_SHARE) return { text: pick(TOO_SHORT, random), category, flaw: 'too_short' };
  if (flawDraw < TOO_SHORT_SHARE + MENTIONS_SHARE) return { text: pick(MENTIONS, random) + good, category, flaw: 'mentions_instruction' };
  return { text: good, category, flaw: null };
}

/**
 * Draws candidates until one keeps the category, has about the seed's length and stays clear of
 * the seed's wording; template fills can collide with a seed that was itself created here, hence
 * the retries. Falls back to the best candidate seen (category first, then length, then overlap).
 */
function createInstruction(seedText: string, category: TaskCategory, random: () => number): string {
  const [seedInstruction, seedInput] = splitInput(seedText);
  const material = CATEGORY_MATERIAL[category];
  const seedWords = wordCount(seedText);
  let best: { text: string; score: number } | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let text = composeInstruction(material, wordCount(seedInstruction), random);
    if (seedInput !== null) text += `\n\n${composeContext(wordCount(seedInput), random)}`;
    const keeps = classifyInstruction(text) === category && !/instruction/i.test(text) && wordCount(text) > 3;
    const ratio = wordCount(text) / Math.max(1, seedWords);
    const fits = ratio >= MIN_LENGTH_RATIO && ratio <= MAX_LENGTH_RATIO;
    const overlap = rougeL(text, seedText);
    if (keeps && fits && overlap < MAX_OVERLAP) return text;
    const score = (keeps ? 0 : 100) + (fits ? 0 : 10) + Math.abs(Math.log(ratio)) + overlap;
    if (best === undefined || score < best.score) best = { text, score };
  }
  return (best as { text: string }).text;
}

function splitInput(seedText: string): [string, string | null] {
  const blank = BLANK_LINE.exec(seedText);
  if (blank === null) return [seedText, null];
  return [seedText.slice(0, blank.index).trim(), seedText.slice(blank.index + blank[0].length).trim()];
}

/** A template of about the seed's length (one of the three closest), padded with neutral clauses. */
function composeInstruction(material: CategoryMaterial, targetWords: number, random: () => number): string {
  const filled = material.templates.map((template) => fillSlots(template, material, random));
  filled.sort((a, b) => Math.abs(wordCount(a) - targetWords) - Math.abs(wordCount(b) - targetWords));
  let text = pick(filled.slice(0, 3), random);
  for (const clause of shuffled([...PADDING_CLAUSES, ...PLAIN_SENTENCES], random)) {
    const words = wordCount(text);
    if (words >= targetWords * MIN_LENGTH_SHARE) break;
    // Only clauses that bring the length closer: short seeds must not be overshot.
    if (Math.abs(words + wordCount(clause) - targetWords) < targetWords - words) text += ` ${clause}`;
  }
  return text;
}

/** Stands in for the seed's input: plain sentences of about the same length. */
function composeContext(targetWords: number, random: () => number): string {
  const sentences: string[] = [];
  let words = 0;
  let pool: string[] = [];
  while (words < Math.max(1, targetWords * MIN_LENGTH_SHARE)) {
    if (pool.length === 0) pool = shuffled(PLAIN_SENTENCES, random);
    const sentence = pool.pop() as string;
    sentences.push(sentence);
    words += wordCount(sentence);
  }
  return sentences.join(' ');
}

export function fillSlots(template: string, material: CategoryMaterial, random: () => number): string {
  const topics = shuffled(material.topics, random);
  const names = shuffled(FIRST_NAMES, random);
  const nouns = shuffled(MADE_UP_NOUNS, random);
  const number = () => String(2 + Math.floor(random() * 48));
  const values: Record<string, string> = {
    t: topics[0] as string,
    t2: (topics[1] ?? topics[0]) as string,
    n: number(), m: number(), k: number(),
    seq: numberSequence(random),
    plang: pick(PROGRAMMING_LANGUAGES, random),
    lang: pick(HUMAN_LANGUAGES, random),
    s: pick(PLAIN_SENTENCES, random),
    e: pick(FLAWED_SENTENCES, random),
    name: names[0] as string, name2: names[1] as string, name3: names[2] as string,
    x: nouns[0] as string, y: nouns[1] as string, z: nouns[2] as string,
  };
  for (const [slot, bank] of Object.entries(material.slots ?? {})) values[slot] = pick(bank, random);
  // Topics may hold slots of their own ("the average of {n}, {m} and {k}"): two passes.
  let text = template;
  for (let pass = 0; pass < 2; pass++) text = text.replace(/\{(\w+)\}/g, (whole, slot: string) => values[slot] ?? whole);
  return text;
}

/** Four terms of an arithmetic or geometric sequence, for "what comes next" puzzles. */
function numberSequence(random: () => number): string {
  const start = 1 + Math.floor(random() * 9);
  const geometric = random() < 0.4;
  const step = geometric ? 2 + Math.floor(random() * 2) : 2 + Math.floor(random() * 8);
  const terms = [start];
  for (let i = 1; i < 4; i++) terms.push(geometric ? (terms[i - 1] as number) * step : (terms[i - 1] as number) + step);
  return terms.join(', ');
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
