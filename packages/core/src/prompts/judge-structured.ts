import { jsonObjectsIn } from '../json-in-reply';
import type { JudgeScoresResult } from './judge-scores';

/**
 * The judge's structured reply: the two scores as named fields, so that no parser has to guess
 * which number belongs to which assistant. Sent as an OpenAI `response_format` JSON schema or as
 * the input schema of a forced Anthropic tool; both providers then reply with this object (OpenAI
 * as a JSON string in message.content, Anthropic as a tool_use block's input).
 */
export const JUDGE_REPLY_NAME = 'record_scores';
export const JUDGE_REPLY_DESCRIPTION = 'Record the scores of Assistant 1 and Assistant 2 (1 to 10 each) and the explanation.';

/** Strict-mode compatible (every property required, no extra ones, no numeric bounds). */
export const JUDGE_REPLY_SCHEMA = {
  type: 'object',
  properties: {
    assistant_1_score: { type: 'number', description: "Overall score of Assistant 1's answer, 1 to 10." },
    assistant_2_score: { type: 'number', description: "Overall score of Assistant 2's answer, 1 to 10." },
    explanation: { type: 'string', description: 'A comprehensive explanation of the evaluation.' },
  },
  required: ['assistant_1_score', 'assistant_2_score', 'explanation'],
  additionalProperties: false,
} as const;

const MIN_SCORE = 0;
const MAX_SCORE = 10;

/** Which assistant a JSON key names: assistant_1_score, assistant1, score_2, "Assistant 2", answer_two ... */
function keyIndex(key: string): 1 | 2 | null {
  const compact = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  const m =
    /^(?:assistant|answer|response|model)(1|2|one|two)(?:score|rating)?$/.exec(compact) ??
    /^(?:score|rating)(1|2)$/.exec(compact) ??
    /^(1|2)(?:score|rating)$/.exec(compact);
  if (!m) return null;
  return m[1] === '1' || m[1] === 'one' ? 1 : 2;
}

function asScore(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?\s*(?:\/\s*10)?\s*$/.test(value)) return Number.parseFloat(value);
  return null;
}

/** The first JSON object in a reply: the whole reply, a fenced ```json block, or a {...} inside prose. */
function findJsonObject(text: string): Record<string, unknown> | null {
  return jsonObjectsIn(text)[0] ?? null;
}

/**
 * Reads the scores from a JSON judge reply (structured output, or a judge that chose to answer in
 * JSON). Null when the reply holds no JSON object naming the scores, so the text parser can try;
 * a JSON reply that names them but is wrong (a missing score, out of range, two keys for one
 * assistant) is a failure with the reason, and the caller re-asks.
 */
export function readJudgeJson(reply: string): JudgeScoresResult | null {
  const object = findJsonObject(reply);
  if (object === null) return null;
  const found: Record<1 | 2, number[]> = { 1: [], 2: [] };
  let named = false;
  for (const [key, value] of Object.entries(object)) {
    if (/^scores$/i.test(key) && Array.isArray(value) && value.length === 2) {
      const [a, b] = value.map(asScore);
      if (a !== null && a !== undefined) found[1].push(a);
      if (b !== null && b !== undefined) found[2].push(b);
      named = true;
      continue;
    }
    const index = keyIndex(key);
    if (index === null) continue;
    named = true;
    const score = asScore(value);
    if (score === null) return { ok: false, reason: `JSON reply: ${key} is not a number (${JSON.stringify(value).slice(0, 30)})` };
    found[index].push(score);
  }
  if (!named) return null;
  for (const index of [1, 2] as const) {
    if (found[index].length === 0) return { ok: false, reason: `JSON reply has no score for Assistant ${index}` };
    if (found[index].length > 1) return { ok: false, reason: `JSON reply has ${found[index].length} scores for Assistant ${index}` };
  }
  const scores: [number, number] = [found[1][0] as number, found[2][0] as number];
  for (const s of scores) {
    if (!(s >= MIN_SCORE && s <= MAX_SCORE)) return { ok: false, reason: `JSON reply: score out of range 0..10 (${s})` };
  }
  return { ok: true, scores };
}
