/**
 * The JSON objects a model's reply may hold, most likely first: the whole reply, each fenced
 * ```json block, then the span from the first "{" to the last "}" (an object inside prose).
 * Candidates that do not parse, or parse to something other than an object, are left out.
 */
export function jsonObjectsIn(text: string): Record<string, unknown>[] {
  const candidates = [text.trim()];
  for (const m of text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)) candidates.push((m[1] ?? '').trim());
  const open = text.indexOf('{');
  const close = text.lastIndexOf('}');
  if (open >= 0 && close > open) candidates.push(text.slice(open, close + 1));
  const objects: Record<string, unknown>[] = [];
  for (const candidate of candidates) {
    if (!candidate.startsWith('{')) continue;
    try {
      const value: unknown = JSON.parse(candidate);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) objects.push(value as Record<string, unknown>);
    } catch {
      // not JSON; the next candidate may be
    }
  }
  return objects;
}
