import { openaiExchange, sharegptExchange, type FirstExchange } from './chat-turns';
import type { PoolFormat, PoolRecord } from './pool-types';
import type { FoundField, RowFields } from './row-fields';
import { mustBeString, RowProblem, typeName } from './row-problem';

/**
 * Builds a PoolRecord from a row's columns in the given format, or throws RowProblem naming what
 * is wrong. Optional columns (category, teacher/student answers) are read in every format.
 */
export function recordFromRow(format: PoolFormat, fields: RowFields): PoolRecord {
  const core = format === 'alpaca' ? alpacaCore(fields) : chatCore(format, fields);
  const record: PoolRecord = { instruction: core.instruction, input: core.input };
  if (core.output !== undefined) record.output = core.output;
  const category = optionalString(fields.category);
  if (category !== undefined) record.category = category;
  const teacherAnswer = optionalString(fields.teacherAnswer);
  if (teacherAnswer !== undefined) record.teacherAnswer = teacherAnswer;
  const studentAnswer = optionalString(fields.studentAnswer);
  if (studentAnswer !== undefined) record.studentAnswer = studentAnswer;
  return record;
}

interface RecordCore extends FirstExchange {
  input: string;
}

function alpacaCore(fields: RowFields): RecordCore {
  const input = optionalString(fields.input) ?? '';
  const output = optionalString(fields.output);
  if (fields.instruction) {
    const label = `field '${fields.instruction.key}'`;
    return { instruction: nonEmpty(label, mustBeString(label, fields.instruction.value)), input, output };
  }
  if (fields.turns) return { instruction: firstTurn(fields.turns), input, output };
  throw new RowProblem(`missing field 'instruction'`);
}

/** MT-Bench style `turns: [first question, follow-up, ...]`: later turns need the first answer, so only the first is used. */
function firstTurn(field: FoundField): string {
  const turns = field.value;
  if (!Array.isArray(turns)) throw new RowProblem(`field '${field.key}' must be an array, got ${typeName(turns)}`);
  if (turns.length === 0) throw new RowProblem(`field '${field.key}' is empty`);
  const label = `'${field.key}[0]'`;
  return nonEmpty(label, mustBeString(label, turns[0]));
}

function chatCore(format: 'sharegpt' | 'openai', fields: RowFields): RecordCore {
  const field = format === 'sharegpt' ? fields.conversations : fields.messages;
  if (!field) throw new RowProblem(`missing field '${format === 'sharegpt' ? 'conversations' : 'messages'}'`);
  const exchange = format === 'sharegpt' ? sharegptExchange(field) : openaiExchange(field);
  nonEmpty(`the first user turn in '${field.key}'`, exchange.instruction);
  return { ...exchange, input: '' };
}

function nonEmpty(label: string, instruction: string): string {
  if (instruction.trim().length === 0) throw new RowProblem(`${label} is empty`);
  return instruction;
}

/** Absent and null both mean "no value": exports from pandas/HF datasets write null for empty cells. */
function optionalString(field: FoundField | undefined): string | undefined {
  if (!field || field.value === null || field.value === undefined) return undefined;
  return mustBeString(`field '${field.key}'`, field.value);
}
