export type ExportFormat = 'alpaca' | 'sharegpt' | 'openai';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['alpaca', 'sharegpt', 'openai'];

/** One curriculum item as written to a stage file. */
export interface ExportRow {
  /** The row's stable id (exportRowId), which its lineage.jsonl line carries too. */
  id: string;
  instruction: string;
  input: string;
  output: string;
  category: string;
  stage: number;
  /** The item's difficulty scores this round (MFD, IFD or both, per difficulty.signal); kept in
   * the file for auditing. A signal the campaign does not use is null and left out of the row. */
  mfd: number | null;
  ifd?: number | null;
  itemId: number;
  /** The conversation's system prompt; null or absent when it had none. */
  system?: string | null;
  /** The exchanges after the first (import.turns: all): the user's turn and the teacher's reply. */
  followUps?: readonly FollowUpExchange[];
}

export interface FollowUpExchange {
  user: string;
  assistant: string;
}

/** The difficulty columns of a row: only the signals that were measured. */
export interface DifficultyColumns {
  mfd?: number;
  ifd?: number;
}

/**
 * LLaMA-Factory's alpaca layout: `system`, and for a conversation the last exchange in
 * instruction/output with the earlier ones as `history: [[prompt, response], ...]`; both are
 * present only when the row has them.
 */
export interface AlpacaExportRow extends DifficultyColumns {
  id: string;
  instruction: string;
  input: string;
  output: string;
  system?: string;
  history?: [string, string][];
  category: string;
}

export interface SharegptExportRow extends DifficultyColumns {
  id: string;
  conversations: { from: 'human' | 'gpt'; value: string }[];
  system?: string;
  category: string;
}

export interface OpenaiExportRow extends DifficultyColumns {
  id: string;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  category: string;
}

/**
 * The JSON object for one stage-file line. Chat formats have no separate input slot, so the input
 * follows the instruction after a blank line (LLaMA-Factory joins alpaca prompt and query the
 * same way, with a single newline).
 */
export function formatExportRow(format: 'alpaca', row: ExportRow): AlpacaExportRow;
export function formatExportRow(format: 'sharegpt', row: ExportRow): SharegptExportRow;
export function formatExportRow(format: 'openai', row: ExportRow): OpenaiExportRow;
export function formatExportRow(format: ExportFormat, row: ExportRow): AlpacaExportRow | SharegptExportRow | OpenaiExportRow;
export function formatExportRow(format: ExportFormat, row: ExportRow): AlpacaExportRow | SharegptExportRow | OpenaiExportRow {
  const { id, category } = row;
  const scores: DifficultyColumns = {
    ...(row.mfd === null ? {} : { mfd: row.mfd }),
    ...(row.ifd === null || row.ifd === undefined ? {} : { ifd: row.ifd }),
  };
  const system = row.system ? { system: row.system } : {};
  const followUps = row.followUps ?? [];
  switch (format) {
    case 'alpaca': {
      if (followUps.length === 0) return { id, instruction: row.instruction, input: row.input, output: row.output, ...system, category, ...scores };
      const last = followUps[followUps.length - 1]!;
      const history: [string, string][] = [[userContent(row), row.output], ...followUps.slice(0, -1).map((e): [string, string] => [e.user, e.assistant])];
      return { id, instruction: last.user, input: '', output: last.assistant, ...system, history, category, ...scores };
    }
    case 'sharegpt':
      return {
        id,
        conversations: exchanges(row).flatMap(([user, assistant]) => [
          { from: 'human' as const, value: user },
          { from: 'gpt' as const, value: assistant },
        ]),
        ...system,
        category,
        ...scores,
      };
    case 'openai':
      return {
        id,
        messages: [
          ...(row.system ? [{ role: 'system' as const, content: row.system }] : []),
          ...exchanges(row).flatMap(([user, assistant]) => [
            { role: 'user' as const, content: user },
            { role: 'assistant' as const, content: assistant },
          ]),
        ],
        category,
        ...scores,
      };
  }
}

/**
 * An OpenAI row with only `messages` (`--bare`): OpenAI's fine-tuning upload takes a line of
 * `messages` (and optional tools), nothing else, so the id, category and scores stay in
 * lineage.jsonl, which lists the rows in the same order.
 */
export interface BareOpenaiExportRow {
  messages: OpenaiExportRow['messages'];
}

export function bareOpenaiRow(row: ExportRow): BareOpenaiExportRow {
  return { messages: formatExportRow('openai', row).messages };
}

/** Every exchange of the row in order: the first (instruction with input, training output), then the follow-ups. */
function exchanges(row: ExportRow): [string, string][] {
  return [[userContent(row), row.output], ...(row.followUps ?? []).map((e): [string, string] => [e.user, e.assistant])];
}

function userContent(row: ExportRow): string {
  return row.input ? `${row.instruction}\n\n${row.input}` : row.instruction;
}
