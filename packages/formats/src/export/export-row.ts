export type ExportFormat = 'alpaca' | 'sharegpt' | 'openai';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['alpaca', 'sharegpt', 'openai'];

/** One curriculum item as written to a stage file. */
export interface ExportRow {
  instruction: string;
  input: string;
  output: string;
  category: string;
  stage: number;
  /** The item's difficulty score that placed it in its stage; kept in the file for auditing. */
  mfd: number;
  itemId: number;
}

export interface AlpacaExportRow {
  instruction: string;
  input: string;
  output: string;
  category: string;
  mfd: number;
}

export interface SharegptExportRow {
  conversations: [{ from: 'human'; value: string }, { from: 'gpt'; value: string }];
  category: string;
  mfd: number;
}

export interface OpenaiExportRow {
  messages: [{ role: 'user'; content: string }, { role: 'assistant'; content: string }];
  category: string;
  mfd: number;
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
  const { category, mfd } = row;
  switch (format) {
    case 'alpaca':
      return { instruction: row.instruction, input: row.input, output: row.output, category, mfd };
    case 'sharegpt':
      return {
        conversations: [
          { from: 'human', value: userContent(row) },
          { from: 'gpt', value: row.output },
        ],
        category,
        mfd,
      };
    case 'openai':
      return {
        messages: [
          { role: 'user', content: userContent(row) },
          { role: 'assistant', content: row.output },
        ],
        category,
        mfd,
      };
  }
}

function userContent(row: ExportRow): string {
  return row.input ? `${row.instruction}\n\n${row.input}` : row.instruction;
}
