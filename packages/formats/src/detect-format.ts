import type { PoolFormat } from './pool-types';
import { collectRowFields, type RowFields } from './row-fields';

/**
 * Decides the record format from one row's keys (readPool uses the file's first JSON object).
 * `turns` (MT-Bench / Vicuna-Bench question files) counts as alpaca-like: the first turn is the
 * instruction.
 */
export function detectFormat(row: Record<string, unknown>): PoolFormat | undefined {
  return detectFormatFromFields(collectRowFields(row));
}

export function detectFormatFromFields(fields: RowFields): PoolFormat | undefined {
  if (fields.conversations) return 'sharegpt';
  if (fields.messages) return 'openai';
  if (fields.instruction || fields.turns) return 'alpaca';
  return undefined;
}

export const SUPPORTED_FORMATS_HELP =
  'supported formats: alpaca (instruction, optional input/output; or MT-Bench style turns), ' +
  'sharegpt (conversations: [{from, value}]), openai (messages: [{role, content}])';
