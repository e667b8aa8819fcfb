import type { ExportFormat } from './export-row';

export type ScoreColumn = 'mfd' | 'ifd';

/** A Parquet schema element (parquet-format's SchemaElement, the fields tapir uses). */
export interface ParquetSchemaElement {
  name: string;
  type?: 'BYTE_ARRAY' | 'DOUBLE';
  converted_type?: 'UTF8' | 'LIST';
  repetition_type?: 'REQUIRED' | 'OPTIONAL' | 'REPEATED';
  num_children?: number;
}

/** The columns of a stage's Parquet file, in order, and its schema (flattened depth-first, as Parquet stores it). */
export interface ParquetLayout {
  columns: string[];
  schema: ParquetSchemaElement[];
}

export interface ParquetLayoutOptions {
  format: ExportFormat;
  /** OpenAI rows with only `messages`. */
  bare: boolean;
  /** The difficulty columns the campaign measures; a row without a score has null there. */
  scores: readonly ScoreColumn[];
}

const text = (name: string): ParquetSchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' });
const score = (name: string): ParquetSchemaElement => ({ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' });

/** A list of {role, content} turns in the standard three-level LIST layout that pyarrow and `datasets` read as list<struct>. */
function turns(name: string, roleKey: string, contentKey: string): ParquetSchemaElement[] {
  return [
    { name, converted_type: 'LIST', repetition_type: 'REQUIRED', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
    text(roleKey),
    text(contentKey),
  ];
}

/**
 * The Parquet layout of a stage file in the given format: the same columns as its JSONL rows,
 * typed (strings, doubles, chat turns as a list of structs), so that a Parquet row read back is
 * the JSONL row with null where the JSONL row leaves a score out.
 */
export function parquetLayout(opts: ParquetLayoutOptions): ParquetLayout {
  if (opts.bare && opts.format !== 'openai') throw new Error(`bare rows exist only in the openai format, not ${opts.format}`);
  const top: { name: string; elements: ParquetSchemaElement[] }[] = [];
  const add = (name: string, elements: ParquetSchemaElement[]): void => {
    top.push({ name, elements });
  };
  if (opts.bare) {
    add('messages', turns('messages', 'role', 'content'));
  } else {
    add('id', [text('id')]);
    if (opts.format === 'alpaca') {
      for (const column of ['instruction', 'input', 'output']) add(column, [text(column)]);
    } else if (opts.format === 'sharegpt') {
      add('conversations', turns('conversations', 'from', 'value'));
    } else {
      add('messages', turns('messages', 'role', 'content'));
    }
    add('category', [text('category')]);
    for (const column of opts.scores) add(column, [score(column)]);
  }
  return {
    columns: top.map((t) => t.name),
    schema: [{ name: 'root', num_children: top.length }, ...top.flatMap((t) => t.elements)],
  };
}

/**
 * A stage row as a Parquet record: every layout column present (a missing score is null). A row
 * with a key the layout lacks is refused: writing it would silently drop that value.
 */
export function parquetRecord(row: Record<string, unknown>, layout: ParquetLayout): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const key of Object.keys(row)) {
    if (!layout.columns.includes(key)) throw new Error(`a stage row has a '${key}' column the Parquet layout [${layout.columns.join(', ')}] lacks`);
  }
  for (const column of layout.columns) {
    const value = row[column];
    if (value === undefined && column !== 'mfd' && column !== 'ifd') throw new Error(`a stage row lacks its '${column}' column`);
    record[column] = value ?? null;
  }
  return record;
}

/** The difficulty columns a campaign's rows can carry (difficulty.signal). */
export function scoreColumns(signal: string): ScoreColumn[] {
  if (signal === 'mfd') return ['mfd'];
  if (signal === 'ifd') return ['ifd'];
  return ['mfd', 'ifd'];
}
