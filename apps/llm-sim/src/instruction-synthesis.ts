import { CATEGORY_MATERIAL } from './expansion-templates';
import { createPrng, hashParts, pick } from './hashing';
import { fillSlots } from './instruction-expansion';
import { classifyInstruction } from './task-classifier';
import { TASK_CATEGORIES, type TaskCategory } from './task-keywords';

/**
 * The simulated textbook writer for tapir's topic-seeded synthesis prompt (phi-1.5): the user
 * message names a category, a topic, an audience and a form on marker lines and ends with
 * "#New Instruction#:". The reply is one instruction built from the category's templates, which
 * the simulator's own classifier puts in that category, framed by the form and the audience and
 * about the topic, so that different topics give different instructions. Deterministic by the
 * request (seed, sampling seed, variant).
 */

const FIELD = (name: string) => new RegExp(`^#${name}#:[^\\S\\n]*(.*)$`, 'm');
const END_MARKER = /\n\s*#New Instruction#:\s*$/;
const MAX_ATTEMPTS = 16;

export interface SynthesisPrompt {
  category: string;
  topic: string;
  audience: string;
  form: string;
}

/** The four fields, or null when the prompt is not a synthesis prompt. */
export function parseSynthesisPrompt(text: string): SynthesisPrompt | null {
  if (!END_MARKER.test(text)) return null;
  const field = (name: string) => FIELD(name).exec(text)?.[1]?.trim();
  const category = field('Category');
  const topic = field('Topic');
  const audience = field('Audience');
  const form = field('Form');
  if (!category || !topic || !audience || !form) return null;
  return { category, topic, audience, form };
}

export interface SynthesisRequest extends SynthesisPrompt {
  model: string;
  seed: number;
  requestSeed?: number;
  temperature?: number;
  variant: number;
}

function taskCategory(name: string): TaskCategory {
  const wanted = name.toLowerCase().replace(/[^a-z]/g, '');
  return TASK_CATEGORIES.find((c) => c.toLowerCase().replace(/[^a-z]/g, '') === wanted) ?? 'Others';
}

/** How each form frames the task; the audience and topic are woven in. */
function frame(form: string, task: string, topic: string, audience: string, random: () => number): string {
  const f = form.toLowerCase();
  if (f.includes('textbook') || f.includes('worked')) {
    return pick([`Textbook problem (${topic}), for ${audience}: ${task} Give a worked answer step by step.`, `For ${audience} studying ${topic}: ${task} Show the worked solution.`], random);
  }
  if (f.includes('exercise')) return pick([`Exercise on ${topic} for ${audience}: ${task}`, `Practice (${topic}, ${audience}): ${task}`], random);
  if (f.includes('question')) return pick([`A question from ${audience} about ${topic}: ${task}`, `${task} (Asked by ${audience} curious about ${topic}.)`], random);
  return pick([`Task for ${audience}, on ${topic}: ${task}`, `${task} Keep it relevant to ${topic} and suitable for ${audience}.`], random);
}

export function synthesizeInstruction(req: SynthesisRequest): { text: string; category: TaskCategory } {
  const category = taskCategory(req.category);
  const random = createPrng(hashParts('synthesize', req.model, req.category, req.topic, req.audience, req.form, req.seed, req.requestSeed, req.temperature, req.variant));
  const material = CATEGORY_MATERIAL[category];
  let fallback: string | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const task = fillSlots(pick(material.templates, random), material, random);
    const text = frame(req.form, task, req.topic, req.audience, random);
    fallback ??= text;
    // The topic's words must not pull the simulator's classifier to another category.
    if (classifyInstruction(text) === category && !/instruction/i.test(text)) return { text, category };
  }
  return { text: fallback!, category };
}
