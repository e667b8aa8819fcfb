import { createHash } from 'node:crypto';
import type { ChatMessage } from '../chat';
import { matchCategory } from '../taxonomy';
import { instructionWithInput, withSystem } from './answer';
import { REFINE_FAMILIES, type RefineFamily } from './refine-templates';

export { REFINE_FAMILIES, type RefineFamily, type RefineFamilySpec } from './refine-templates';

export const INSTRUCTION_PLACEHOLDER = '{instruction}';
export const INPUT_PLACEHOLDER = '{input}';

export interface RefinePrompt {
  /** Stored with every refined answer; it changes whenever the template text changes. */
  version: string;
  family: RefineFamily | 'custom';
  template: string;
  /** With the item's system prompt (if any) as the system message: the refined answer must follow it. */
  build(instruction: string, input?: string, system?: string | null): ChatMessage[];
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'category'
  );
}

export function refineFamilyOf(category: string): RefineFamily {
  for (const [family, spec] of Object.entries(REFINE_FAMILIES) as [RefineFamily, (typeof REFINE_FAMILIES)[RefineFamily]][]) {
    if (spec.categories.length > 0 && matchCategory(category, spec.categories) !== null) return family;
  }
  return 'general';
}

/**
 * Fills a template. A template with an {input} placeholder places the input itself; otherwise the
 * input (when non-empty) follows the instruction, the way answer prompts join them.
 */
export function fillRefineTemplate(template: string, instruction: string, input?: string): string {
  if (template.includes(INPUT_PLACEHOLDER)) {
    // split/join rather than replace: instructions may contain "$&" and similar replace patterns.
    return template.split(INSTRUCTION_PLACEHOLDER).join(instruction).split(INPUT_PLACEHOLDER).join(input ?? '');
  }
  return template.split(INSTRUCTION_PLACEHOLDER).join(instructionWithInput(instruction, input));
}

function findOverride(category: string, overrides: Readonly<Record<string, string>>): string | undefined {
  if (Object.hasOwn(overrides, category)) return overrides[category];
  const key = Object.keys(overrides).find((k) => matchCategory(k, [category]) !== null);
  return key === undefined ? undefined : overrides[key];
}

/** The refinement prompt for a category: the campaign's override if it has one, else the built-in family. */
export function refinePromptFor(category: string, overrides: Readonly<Record<string, string>> = {}): RefinePrompt {
  const override = findOverride(category, overrides);
  let template: string;
  let family: RefinePrompt['family'];
  let version: string;
  if (override !== undefined) {
    if (!override.includes(INSTRUCTION_PLACEHOLDER)) {
      throw new Error(`refine prompt for "${category}" must contain ${INSTRUCTION_PLACEHOLDER}`);
    }
    template = override;
    family = 'custom';
    version = `refine-custom-${slug(category)}@${shortHash(template)}`;
  } else {
    family = refineFamilyOf(category);
    template = REFINE_FAMILIES[family].template;
    version = `refine-${family}@${shortHash(template)}`;
  }
  return {
    version,
    family,
    template,
    build: (instruction, input, system) => withSystem(system, [{ role: 'user', content: fillRefineTemplate(template, instruction, input) }]),
  };
}
