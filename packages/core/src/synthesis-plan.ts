import { largestRemainder } from './apportion';
import type { TaxonomyCategory } from './taxonomy';
import { createRng } from './rng';

/** One request to the teacher for a synthesized instruction. */
export interface SynthesisRequest {
  category: string;
  /** The category's running request number: unique per campaign, so every request is a new sample. */
  slot: number;
  topic: string;
  audience: string;
  form: string;
}

export interface SynthesisPlanOptions {
  seed: number;
  audiences: readonly string[];
  forms: readonly string[];
}

/**
 * The request of one (category, slot), from the seed alone, so that the planner can write it
 * again after a crash and get the same row. Topics are drawn without replacement: slot s takes
 * position s mod n of a shuffle of the category's n topics, and every n slots a new shuffle
 * begins, so no topic repeats before all have been used. Audience and form are drawn per slot.
 */
export function synthesisRequest(category: string, slot: number, topics: readonly string[], opts: SynthesisPlanOptions): SynthesisRequest {
  if (topics.length === 0) throw new Error(`no topics for category "${category}"`);
  const cycle = Math.floor(slot / topics.length);
  const order = createRng(opts.seed).fork(`synthesis:${category}:cycle:${cycle}`).shuffle(topics);
  const pick = createRng(opts.seed).fork(`synthesis:${category}:slot:${slot}`);
  return {
    category,
    slot,
    topic: order[slot % topics.length]!,
    audience: opts.audiences[pick.int(opts.audiences.length)]!,
    form: opts.forms[pick.int(opts.forms.length)]!,
  };
}

/**
 * Requests for every category short of rows: `missing` rows times the oversample factor (the
 * filters drop some), rounded up, within `maxTotal` over all categories (shared in proportion to
 * need, at least one each while the total allows). Slots continue from `nextSlot`.
 */
export function planSynthesisRequests(
  missing: Readonly<Record<string, number>>,
  topicsOf: (category: string) => readonly string[],
  nextSlot: Readonly<Record<string, number>>,
  opts: SynthesisPlanOptions & { oversample: number; maxTotal: number },
): SynthesisRequest[] {
  const wanted = Object.entries(missing)
    .filter(([, n]) => n > 0)
    .map(([category, n]) => ({ category, n: Math.ceil(n * opts.oversample) }));
  const total = wanted.reduce((sum, w) => sum + w.n, 0);
  const scale = total > opts.maxTotal ? opts.maxTotal / total : 1;
  let left = Math.min(total, opts.maxTotal);
  const requests: SynthesisRequest[] = [];
  for (const { category, n } of wanted) {
    const count = Math.min(left, scale < 1 ? Math.max(1, Math.floor(n * scale)) : n);
    left -= count;
    const topics = topicsOf(category);
    const first = nextSlot[category] ?? 0;
    for (let i = 0; i < count; i++) requests.push(synthesisRequest(category, first + i, topics, opts));
  }
  return requests;
}

/**
 * Rows each synthesis target is short of its share of `targetSize`. Unlike expansion's
 * deficits, a target category without items gets its quota: the weights are apportioned over
 * the categories that have items and the targets (largest remainder, as the rebalancer does once
 * the synthesized items are in), and a target's deficit is its quota minus its items.
 */
export function synthesisDeficits(
  available: Readonly<Record<string, number>>,
  taxonomy: readonly TaxonomyCategory[],
  targetSize: number,
  targets: ReadonlySet<string>,
): Record<string, number> {
  const fillable = taxonomy.filter((c) => c.weight > 0 && ((available[c.name] ?? 0) > 0 || targets.has(c.name)));
  const quotas = largestRemainder(
    fillable.map((c) => c.weight),
    targetSize,
  );
  const deficits: Record<string, number> = {};
  fillable.forEach((c, i) => {
    if (!targets.has(c.name)) return;
    const missing = (quotas[i] ?? 0) - (available[c.name] ?? 0);
    if (missing > 0) deficits[c.name] = missing;
  });
  return deficits;
}
