import { isOptionalInt, typeName } from './api-dialect';
import { invalid, type ApiError } from './generation-request';

/** Most choices one request may ask for. */
export const MAX_N = 16;

export interface SamplingParams {
  n: number;
  seed: number | undefined;
  stop: string[];
}

/**
 * The sampling fields chat completions and legacy completions share, checked with OpenAI's own
 * error wording: `n`, `seed`, `stream` and `stop`.
 */
export function parseSamplingParams(body: Record<string, unknown>): SamplingParams | ApiError {
  const n = body.n ?? 1;
  if (!isOptionalInt(n, 1) || (n as number) > MAX_N) return invalid(`Invalid 'n': llm-sim supports 1 to ${MAX_N} choices, got ${String(n)}.`, 'n', 'invalid_value');
  if (!isOptionalInt(body.seed, Number.MIN_SAFE_INTEGER)) return invalid(`Invalid type for 'seed': expected an integer, but got ${typeName(body.seed)} instead.`, 'seed', 'invalid_type');
  if (body.stream === true) return invalid('llm-sim does not implement streaming; send stream: false.', 'stream', 'unsupported_value');
  const stop = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop.filter((s): s is string => typeof s === 'string' && s.length > 0) : [];
  if (stop.length > 4) return invalid("Invalid 'stop': array too long. Expected an array with maximum length 4.", 'stop', 'array_above_max_length');
  return { n: n as number, seed: (body.seed ?? undefined) as number | undefined, stop };
}
