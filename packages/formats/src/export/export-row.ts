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
}

/** The difficulty columns of a row: only the signals that were measured. */
export interface DifficultyColumns {
  mfd?: number;
  ifd?: number;
}

export interface AlpacaExportRow extends DifficultyColumns {
  id: string;
  instruction: string;
  input: string;
  output: string;
  category: string;
}

export interface SharegptExportRow extends DifficultyColumns {
  id: string;
  conversations: [{ from: 'human'; value: string }, { from: 'gpt'; value: string }];
  category: string;
}

export interface OpenaiExportRow extends DifficultyColumns {
  id: string;
  messages: [{ role: 'user'; content: string }, { role: 'assistant'; content: string }];
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
  switch (format) {
    case 'alpaca':
      return { id, instruction: row.instruction, input: row.input, output: row.output, category, ...scores };
    case 'sharegpt':
      return {
        id,
        conversations: [
          { from: 'human', value: userContent(row) },
          { from: 'gpt', value: row.output },
        ],
        category,
        ...scores,
      };
    case 'openai':
      return {
        id,
        messages: [
          { role: 'user', content: userContent(row) },
          { role: 'assistant', content: row.output },
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

function userContent(row: ExportRow): string {
  return row.input ? `${row.instruction}\n\n${row.input}` : row.instruction;
}
