import { openaiConversation, sharegptConversation, type Conversation } from './chat-turns';
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
  if (core.system !== undefined) record.system = core.system;
  if (core.followUps.length > 0) record.followUps = core.followUps;
  const category = optionalString(fields.category);
  if (category !== undefined) record.category = category;
  const teacherAnswer = optionalString(fields.teacherAnswer);
  if (teacherAnswer !== undefined) record.teacherAnswer = teacherAnswer;
  const studentAnswer = optionalString(fields.studentAnswer);
  if (studentAnswer !== undefined) record.studentAnswer = studentAnswer;
  return record;
}

interface RecordCore extends Conversation {
  input: string;
}

/** Shared by every row without follow-ups: recordFromRow only keeps a non-empty list. */
const NO_FOLLOW_UPS: string[] = [];

/**
 * Alpaca, with LLaMA-Factory's optional `system` column. Written to allocate only the result on
 * the common path (no closures, spreads or error labels made in advance): it runs once per row of
 * a million-row import.
 */
function alpacaCore(fields: RowFields): RecordCore {
  const input = optionalString(fields.input) ?? '';
  const output = optionalString(fields.output);
  const system = nonBlank(optionalString(fields.system));
  let instruction: string;
  let followUps = NO_FOLLOW_UPS;
  if (fields.instruction) {
    instruction = fieldString(fields.instruction);
    if (instruction.trim().length === 0) throw new RowProblem(`field '${fields.instruction.key}' is empty`);
  } else if (fields.turns) {
    [instruction, ...followUps] = questionTurns(fields.turns) as [string, ...string[]];
  } else {
    throw new RowProblem(`missing field 'instruction'`);
  }
  const core: RecordCore = { instruction, input, followUps };
  if (output !== undefined) core.output = output;
  if (system !== undefined) core.system = system;
  return core;
}

/** MT-Bench style `turns: [first question, follow-up, ...]`: the first is the instruction, the rest follow-ups. */
function questionTurns(field: FoundField): string[] {
  const turns = field.value;
  if (!Array.isArray(turns)) throw new RowProblem(`field '${field.key}' must be an array, got ${typeName(turns)}`);
  if (turns.length === 0) throw new RowProblem(`field '${field.key}' is empty`);
  const label = `'${field.key}[0]'`;
  const first = nonEmpty(label, mustBeString(label, turns[0]));
  const followUps = turns.slice(1).map((turn, i) => mustBeString(`'${field.key}[${i + 1}]'`, turn)).filter((t) => t.trim() !== '');
  return [first, ...followUps];
}

function nonBlank(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}

function chatCore(format: 'sharegpt' | 'openai', fields: RowFields): RecordCore {
  const field = format === 'sharegpt' ? fields.conversations : fields.messages;
  if (!field) throw new RowProblem(`missing field '${format === 'sharegpt' ? 'conversations' : 'messages'}'`);
  const conversation = format === 'sharegpt' ? sharegptConversation(field, fields.system) : openaiConversation(field, fields.system);
  nonEmpty(`the first user turn in '${field.key}'`, conversation.instruction);
  return { ...conversation, input: '' };
}

function nonEmpty(label: string, instruction: string): string {
  if (instruction.trim().length === 0) throw new RowProblem(`${label} is empty`);
  return instruction;
}

/** Absent and null both mean "no value": exports from pandas/HF datasets write null for empty cells. */
function optionalString(field: FoundField | undefined): string | undefined {
  if (!field || field.value === null || field.value === undefined) return undefined;
  return fieldString(field);
}

/** mustBeString with the label `field '<key>'`, made only when the value is not a string. */
function fieldString(field: FoundField): string {
  if (typeof field.value !== 'string') throw new RowProblem(`field '${field.key}' must be a string, got ${typeName(field.value)}`);
  return field.value;
}
