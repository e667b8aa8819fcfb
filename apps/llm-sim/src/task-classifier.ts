import { CODE_CONTEXT, DEBUG_CUES, KEYWORD_RULES, TASK_CATEGORIES, type TaskCategory } from './task-keywords';

/** Debugging only counts when there is code to debug; "fix my sleep schedule" is not Code Debug. */
const CODE_DEBUG_WEIGHT = 9;
/** Plain questions with no topical cue read as general knowledge rather than "Others". */
const GENERAL_QUESTION = /^(?:what|why|how|when|where|who|which|is|are|can|do|does|should|explain|describe)\b/;

const PRIORITY = new Map<TaskCategory, number>(TASK_CATEGORIES.map((c, i) => [c, i]));
/** Instructions are often classified several times (answer + judge); skip repeated regex passes. */
const cache = new Map<string, TaskCategory>();
const CACHE_LIMIT = 50_000;

/**
 * Keyword-heuristic task classifier over the tapir taxonomy. Deterministic and plausible rather
 * than accurate: it exists so that per-category model strengths and the classify step have
 * something consistent to work with. Ties go to the category listed first in the taxonomy.
 */
export function classifyInstruction(instruction: string): TaskCategory {
  const cached = cache.get(instruction);
  if (cached !== undefined) return cached;
  const category = classifyUncached(instruction);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(instruction, category);
  return category;
}

function classifyUncached(instruction: string): TaskCategory {
  const text = instruction.toLowerCase();
  const scores = new Map<TaskCategory, number>();
  const add = (category: TaskCategory, weight: number) => scores.set(category, (scores.get(category) ?? 0) + weight);

  for (const rule of KEYWORD_RULES) if (rule.pattern.test(text)) add(rule.category, rule.weight);
  if (DEBUG_CUES.test(text) && CODE_CONTEXT.test(text)) add('Code Debug', CODE_DEBUG_WEIGHT);

  let best: TaskCategory | undefined;
  let bestScore = 0;
  for (const [category, score] of scores) {
    const better = score > bestScore || (score === bestScore && rank(category) < rank(best));
    if (better) {
      best = category;
      bestScore = score;
    }
  }
  if (best !== undefined) return best;
  return GENERAL_QUESTION.test(text.trimStart()) ? 'Common-Sense' : 'Others';
}

function rank(category: TaskCategory | undefined): number {
  return category === undefined ? Number.MAX_SAFE_INTEGER : (PRIORITY.get(category) ?? Number.MAX_SAFE_INTEGER);
}
