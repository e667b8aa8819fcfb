import { join } from 'node:path';
import { matchCategory } from './taxonomy';

/** Topics for synthesis: those scoped to a category by a `[Category]` header, and those for every category. */
export interface TopicList {
  general: string[];
  byCategory: Map<string, string[]>;
}

export class TopicListError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'TopicListError';
  }
}

/** Reads a topic list's text: the bundled one is lenient about categories the taxonomy lacks. */
export function parseTopicFile(file: string, text: string, categoryNames: readonly string[]): TopicList {
  return parseTopicList(text, categoryNames, { skipUnknownCategories: file === bundledTopicsPath() });
}

/** The list tapir ships (packages/core/data/topics.txt): a few hundred topics over the default taxonomy. */
export function bundledTopicsPath(): string {
  return join(__dirname, '..', 'data', 'topics.txt');
}

/**
 * One topic per line. Blank lines and lines starting with `#` are skipped; `[Name]` starts the
 * topics of a taxonomy category (matched as category labels are, so `[code generation]` works);
 * lines before any header serve every category. A user's plain list (no headers) is all general.
 * A header naming no category of the taxonomy is an error with its line (its topics would
 * otherwise be silently unused), except in the bundled list (`skipUnknownCategories`), written
 * for the default taxonomy and used with any. Duplicates within a scope are kept once.
 */
export function parseTopicList(text: string, categoryNames: readonly string[], opts: { skipUnknownCategories?: boolean } = {}): TopicList {
  const general: string[] = [];
  const byCategory = new Map<string, string[]>();
  const seen = new Set<string>();
  let scope: string | null = null;
  let skipping = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      const category = matchCategory(header[1]!.trim(), categoryNames);
      skipping = category === null && opts.skipUnknownCategories === true;
      if (category === null && !skipping) throw new TopicListError(i + 1, `[${header[1]}] is not a taxonomy category`);
      scope = category;
      return;
    }
    if (skipping) return;
    const key = `${scope ?? ''}\u0000${line.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (scope === null) general.push(line);
    else {
      const list = byCategory.get(scope) ?? [];
      list.push(line);
      byCategory.set(scope, list);
    }
  });
  return { general, byCategory };
}

/** A category's topics: its own, then the general ones it does not already have. */
export function topicsFor(list: TopicList, category: string): string[] {
  const own = list.byCategory.get(category) ?? [];
  const seen = new Set(own.map((t) => t.toLowerCase()));
  return [...own, ...list.general.filter((t) => !seen.has(t.toLowerCase()))];
}

export function topicCount(list: TopicList): number {
  let count = list.general.length;
  for (const topics of list.byCategory.values()) count += topics.length;
  return count;
}
