import { JsonlLineSplitter } from '../jsonl-line-splitter';
import { readTextChunks } from '../read-text-chunks';
import { isPlainObject, mustBeString, RowProblem, typeName } from '../row-problem';
import type { ExportFormat } from './export-row';

/**
 * A stage-file line read back. Chat formats store instruction and input as one user message, so
 * for them `instruction` is that whole message and `input` is ''.
 */
export interface ExportedRow {
  id: string;
  instruction: string;
  input: string;
  output: string;
  category: string;
  mfd: number | null;
  ifd: number | null;
}

/**
 * Parses a stage file written by JsonlWriter + formatExportRow and checks every line has exactly
 * the shape of its format; throws naming the first bad line. Used to verify exports, not for
 * arbitrary input (that is readPool's job), so any deviation is an error.
 */
/** Stage rows are written by tapir itself, answers included, so the cap only guards memory. */
const MAX_STAGE_ROW_BYTES = 64 * 1024 * 1024;

export async function readExportFile(file: string, format: ExportFormat): Promise<ExportedRow[]> {
  return readStageLines(file, format, (value) => exportedRow(format, value));
}

/** A bare OpenAI row read back (`--bare`): the user message and the answer, nothing else. */
export interface BareExportedRow {
  instruction: string;
  output: string;
}

/** Parses a stage file of bare OpenAI rows: each line has exactly `messages`, a user turn and an assistant turn. */
export async function readBareExportFile(file: string): Promise<BareExportedRow[]> {
  return readStageLines(file, 'bare openai', (value) => {
    if (!isPlainObject(value)) throw new RowProblem(`expected an object, got ${typeName(value)}`);
    expectKeys(value, ['messages']);
    const { instruction, output } = chatTurns(value, 'messages', 'role', 'content', 'user', 'assistant');
    return { instruction, output };
  });
}

async function readStageLines<T>(file: string, label: string, parse: (value: unknown) => T): Promise<T[]> {
  const rows: T[] = [];
  const splitter = new JsonlLineSplitter(MAX_STAGE_ROW_BYTES);
  const take = (raws: ReturnType<JsonlLineSplitter['push']>): void => {
    for (const raw of raws) {
      if ('problem' in raw) throw new Error(`${file}:${raw.line}: ${raw.problem}`);
      try {
        rows.push(parse(JSON.parse(raw.text)));
      } catch (error) {
        throw new Error(`${file}:${raw.line}: not a valid ${label} stage row: ${(error as Error).message}`);
      }
    }
  };
  for await (const text of readTextChunks(file)) take(splitter.push(text));
  take(splitter.end());
  return rows;
}

function exportedRow(format: ExportFormat, value: unknown): ExportedRow {
  if (!isPlainObject(value)) throw new RowProblem(`expected an object, got ${typeName(value)}`);
  const id = mustBeString("'id'", value['id']);
  const category = mustBeString("'category'", value['category']);
  const mfd = optionalScore(value, 'mfd');
  const ifd = optionalScore(value, 'ifd');
  if (mfd === null && ifd === null) throw new RowProblem("a row needs a difficulty score: 'mfd', 'ifd' or both");
  const scoreKeys = [...(mfd === null ? [] : ['mfd']), ...(ifd === null ? [] : ['ifd'])];
  if (format === 'alpaca') {
    expectKeys(value, ['id', 'instruction', 'input', 'output', 'category', ...scoreKeys]);
    return {
      id,
      instruction: mustBeString("'instruction'", value['instruction']),
      input: mustBeString("'input'", value['input']),
      output: mustBeString("'output'", value['output']),
      category,
      mfd,
      ifd,
    };
  }
  const [listKey, roleKey, contentKey, user, assistant] =
    format === 'sharegpt'
      ? (['conversations', 'from', 'value', 'human', 'gpt'] as const)
      : (['messages', 'role', 'content', 'user', 'assistant'] as const);
  expectKeys(value, ['id', listKey, 'category', ...scoreKeys]);
  const { instruction, output } = chatTurns(value, listKey, roleKey, contentKey, user, assistant);
  return { id, instruction, input: '', output, category, mfd, ifd };
}

function chatTurns(
  value: Record<string, unknown>,
  listKey: string,
  roleKey: string,
  contentKey: string,
  user: string,
  assistant: string,
): { instruction: string; output: string } {
  const turns = value[listKey];
  if (!Array.isArray(turns) || turns.length !== 2) throw new RowProblem(`'${listKey}' must be an array of 2 turns`);
  const [first, second]: unknown[] = turns;
  return {
    instruction: turnContent(listKey, 0, first, roleKey, contentKey, user),
    output: turnContent(listKey, 1, second, roleKey, contentKey, assistant),
  };
}

function optionalScore(value: Record<string, unknown>, key: 'mfd' | 'ifd'): number | null {
  if (!(key in value)) return null;
  const score = value[key];
  if (typeof score !== 'number' || !Number.isFinite(score)) throw new RowProblem(`'${key}' must be a finite number, got ${typeName(score)}`);
  return score;
}

function turnContent(listKey: string, index: number, turn: unknown, roleKey: string, contentKey: string, role: string): string {
  const label = `'${listKey}[${index}]'`;
  if (!isPlainObject(turn)) throw new RowProblem(`${label} must be an object, got ${typeName(turn)}`);
  expectKeys(turn, [roleKey, contentKey]);
  if (turn[roleKey] !== role) throw new RowProblem(`${label}.${roleKey} must be '${role}', got ${JSON.stringify(turn[roleKey])}`);
  return mustBeString(`${label}.${contentKey}`, turn[contentKey]);
}

function expectKeys(value: Record<string, unknown>, keys: readonly string[]): void {
  const actual = Object.keys(value).sort();
  const expected = [...keys].sort();
  if (actual.join(',') !== expected.join(',')) {
    throw new RowProblem(`keys must be [${expected.join(', ')}], got [${actual.join(', ')}]`);
  }
}
