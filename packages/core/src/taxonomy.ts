import { boundedLevenshtein } from './edit-distance';

export interface TaxonomyCategory {
  name: string;
  /** Relative share of the rebalanced pool; weights are normalised by their sum. */
  weight: number;
}

/** Catch-all category: unparseable classifications and unknown labels land here. */
export const OTHERS = 'Others';

const MINOR_CATEGORIES = [
  'Writing', 'Computer Science', 'Complex Format', 'Common-Sense', 'Counterfactual', 'Multilingual',
  'Roleplay', 'Biology', 'Technology', 'Ethics', 'Sport', 'Law', 'Medicine', 'Literature',
  'Entertainment', 'Art', 'Music', 'Toxicity', 'Economy', 'Physics', 'History', 'Chemistry',
  'Philosophy', 'Health', 'Ecology', 'Grammar', 'Paraphrase',
] as const;

/**
 * The DistilQwen2 / EasyDistill target distribution (docs/method.md, step 7). Weights are always
 * used relative to their sum, so the float noise in 0.167 + 0.167 + ... (and any user taxonomy
 * that does not add up to 1) is harmless.
 */
export const DEFAULT_TAXONOMY: readonly TaxonomyCategory[] = Object.freeze(
  [
    { name: 'Math', weight: 0.167 },
    { name: 'Reasoning', weight: 0.167 },
    { name: 'Code Generation', weight: 0.083 },
    { name: 'Code Debug', weight: 0.083 },
    { name: OTHERS, weight: 0.041 },
    ...MINOR_CATEGORIES.map((name) => ({ name, weight: 0.017 })),
  ].map((c) => Object.freeze(c)),
);

/** Lower-case letters and digits only, so "Code_Generation", "code-generation" and "Code Generation" meet. */
export function categoryKey(label: string): string {
  return label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Spellings seen in WizardLM / EasyDistill label data and in model replies that normalisation and
 * a one-edit typo allowance do not reach. Keys and values are category keys.
 */
const ALIASES: Readonly<Record<string, string>> = {
  writting: 'writing',
  creativewriting: 'writing',
  other: 'others',
  misc: 'others',
  miscellaneous: 'others',
  maths: 'math',
  mathematics: 'math',
  logic: 'reasoning',
  logicalreasoning: 'reasoning',
  commonsensereasoning: 'commonsense',
  codegen: 'codegeneration',
  coding: 'codegeneration',
  programming: 'codegeneration',
  debug: 'codedebug',
  debugging: 'codedebug',
  codedebugging: 'codedebug',
  cs: 'computerscience',
  format: 'complexformat',
  roleplaying: 'roleplay',
  translation: 'multilingual',
  sports: 'sport',
  economics: 'economy',
  toxic: 'toxicity',
  arts: 'art',
  medical: 'medicine',
  paraphrasing: 'paraphrase',
};

const MIN_LENGTH_FOR_TYPOS = 6;

/**
 * Maps a free-form label (a model's answer, a column in imported data) to the canonical name in
 * `categories`, or null when nothing fits. A typo is forgiven only when it is unambiguous.
 */
export function matchCategory(label: string, categories: readonly string[]): string | null {
  const key = categoryKey(label);
  if (key === '') return null;
  const byKey = new Map<string, string>();
  for (const name of categories) {
    const k = categoryKey(name);
    if (!byKey.has(k)) byKey.set(k, name);
  }

  const direct = byKey.get(key);
  if (direct !== undefined) return direct;
  const aliasTarget = ALIASES[key];
  if (aliasTarget !== undefined) {
    const aliased = byKey.get(aliasTarget);
    if (aliased !== undefined) return aliased;
  }

  if (key.length < MIN_LENGTH_FOR_TYPOS) return null;
  const nearby = [...byKey.entries()].filter(
    ([k]) => k.length >= MIN_LENGTH_FOR_TYPOS && boundedLevenshtein(key, k, 1) <= 1,
  );
  return nearby.length === 1 ? (nearby[0]?.[1] ?? null) : null;
}
