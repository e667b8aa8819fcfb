/** A model-name rule as @pydantic/genai-prices writes it. */
export type MatchRule =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { or: MatchRule[] }
  | { and: MatchRule[] };

/** The names a rule accepts exactly (its `equals` alternatives), lower-cased. */
export function exactNames(rule: MatchRule): string[] {
  if ('equals' in rule) return [rule.equals.toLowerCase()];
  if ('or' in rule) return rule.or.flatMap(exactNames);
  return [];
}

/**
 * How specifically a rule matches a (lower-case) name: 0 for no match, otherwise the length of
 * the literal text that matched, so that "claude-opus-4-5" (15) beats "claude-opus-4" (13) when
 * both prefixes match. A regex says nothing about specificity and scores 1.
 */
export function matchStrength(rule: MatchRule, name: string): number {
  if ('equals' in rule) return name === rule.equals.toLowerCase() ? rule.equals.length : 0;
  if ('starts_with' in rule) return name.startsWith(rule.starts_with.toLowerCase()) ? rule.starts_with.length : 0;
  if ('ends_with' in rule) return name.endsWith(rule.ends_with.toLowerCase()) ? rule.ends_with.length : 0;
  if ('contains' in rule) return name.includes(rule.contains.toLowerCase()) ? rule.contains.length : 0;
  if ('regex' in rule) return safeRegex(rule.regex)?.test(name) ? 1 : 0;
  if ('or' in rule) return Math.max(0, ...rule.or.map((r) => matchStrength(r, name)));
  let total = 0;
  for (const part of rule.and) {
    const strength = matchStrength(part, name);
    if (strength === 0) return 0;
    total += strength;
  }
  return total;
}

function safeRegex(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'i');
  } catch {
    return undefined;
  }
}
