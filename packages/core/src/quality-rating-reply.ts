import { jsonObjectsIn } from './json-in-reply';

/**
 * Reads the judge's quality rating of an instruction (prompts/quality-rating.ts): a structured
 * reply's JSON object, a JSON object inside prose or a code fence, or the text lines
 * "Consistency: 7" / "Readability: 8" (with the variations judges write: bold markers, "7/10",
 * "7.5", a dash or an equals sign). The score is the mean of the two. A reply that names neither
 * or only one, or gives a number outside 1..10, is a failure with the reason, and the caller asks
 * again.
 */

export type QualityRatingResult =
  | { ok: true; consistency: number; readability: number; score: number }
  | { ok: false; reason: string };

type Aspect = 'consistency' | 'readability';
const ASPECTS: readonly Aspect[] = ['consistency', 'readability'];

const NUMBER = /^\s*(-?\d+(?:\.\d+)?)\s*(?:\/\s*10|out of 10)?\s*$/i;

function asRating(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const m = NUMBER.exec(value);
    if (m) return Number.parseFloat(m[1] as string);
  }
  return null;
}

function fromJson(object: Record<string, unknown>): Partial<Record<Aspect, unknown>> {
  const found: Partial<Record<Aspect, unknown>> = {};
  for (const [key, value] of Object.entries(object)) {
    const name = key.toLowerCase().replace(/[^a-z]/g, '').replace(/(score|rating)$/, '');
    if (name === 'consistency' || name === 'readability') found[name] = value;
  }
  return found;
}

function fromText(text: string): Partial<Record<Aspect, string[]>> {
  const found: Partial<Record<Aspect, string[]>> = {};
  for (const aspect of ASPECTS) {
    const pattern = new RegExp(`${aspect}[*_\\s]*(?:score|rating)?[*_\\s]*[:=\\-–][*_\\s]*(\\[\\[)?\\s*(-?\\d+(?:\\.\\d+)?)(?:\\s*(?:/|out of)\\s*10)?`, 'gi');
    const values = [...text.matchAll(pattern)].map((m) => m[2] as string);
    if (values.length > 0) found[aspect] = values;
  }
  return found;
}

function checked(values: Record<Aspect, number>): QualityRatingResult {
  for (const aspect of ASPECTS) {
    const v = values[aspect];
    if (!(v >= 1 && v <= 10)) return { ok: false, reason: `${aspect} ${v} is outside 1..10` };
  }
  return { ok: true, consistency: values.consistency, readability: values.readability, score: (values.consistency + values.readability) / 2 };
}

export function parseQualityRating(reply: string): QualityRatingResult {
  for (const object of jsonObjectsIn(reply)) {
    const found = fromJson(object);
    if (found.consistency === undefined && found.readability === undefined) continue;
    const values: Partial<Record<Aspect, number>> = {};
    for (const aspect of ASPECTS) {
      if (found[aspect] === undefined) return { ok: false, reason: `JSON reply has no ${aspect}` };
      const v = asRating(found[aspect]);
      if (v === null) return { ok: false, reason: `JSON reply: ${aspect} is not a number (${JSON.stringify(found[aspect]).slice(0, 30)})` };
      values[aspect] = v;
    }
    return checked(values as Record<Aspect, number>);
  }
  const lines = fromText(reply);
  const values: Partial<Record<Aspect, number>> = {};
  for (const aspect of ASPECTS) {
    const found = lines[aspect];
    if (found === undefined) return { ok: false, reason: `reply names no ${aspect} rating: ${JSON.stringify(reply.slice(0, 80))}` };
    const distinct = [...new Set(found)];
    if (distinct.length > 1) return { ok: false, reason: `reply gives ${distinct.length} different ${aspect} ratings (${distinct.join(', ')})` };
    values[aspect] = Number.parseFloat(distinct[0] as string);
  }
  return checked(values as Record<Aspect, number>);
}
