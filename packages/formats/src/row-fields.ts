/** The columns tapir understands, whatever a given file calls them. */
export type FieldName =
  | 'instruction'
  | 'input'
  | 'output'
  | 'category'
  | 'teacherAnswer'
  | 'studentAnswer'
  | 'conversations'
  | 'messages'
  | 'turns'
  | 'system';

/** A column found in a row: its value and the key as spelled in the file, for error messages. */
export interface FoundField {
  key: string;
  value: unknown;
}

export type RowFields = Partial<Record<FieldName, FoundField>>;

/**
 * Accepted spellings, in order of preference when a row has several (e.g. both `category` and
 * `skill`). Matching ignores case because real sets differ: WizardLM's test set uses
 * `Instruction` and `Skill`.
 */
const ALIASES: Record<FieldName, readonly string[]> = {
  instruction: ['instruction'],
  input: ['input'],
  output: ['output'],
  category: ['category', 'skill', 'task_category'],
  teacherAnswer: ['teacher_output', 'teacher_answer'],
  studentAnswer: ['student_output', 'student_answer'],
  conversations: ['conversations'],
  messages: ['messages'],
  turns: ['turns'],
  system: ['system', 'system_prompt'],
};

const FIELD_BY_ALIAS = new Map<string, { field: FieldName; rank: number }>();
for (const [field, aliases] of Object.entries(ALIASES) as [FieldName, readonly string[]][]) {
  aliases.forEach((alias, rank) => FIELD_BY_ALIAS.set(alias, { field, rank }));
}

/**
 * One pass over the row's keys. Exact lower-case keys (the common case) hit the map directly;
 * only other spellings pay for toLowerCase.
 */
export function collectRowFields(row: Record<string, unknown>): RowFields {
  const fields: RowFields = {};
  for (const key in row) {
    const match = FIELD_BY_ALIAS.get(key) ?? FIELD_BY_ALIAS.get(key.toLowerCase());
    if (!match) continue;
    const previous = fields[match.field];
    if (previous && !isPreferred(key, match.rank, previous.key)) continue;
    fields[match.field] = { key, value: row[key] };
  }
  return fields;
}

/** Between two keys for one column: the better-ranked alias, then the exact lower-case spelling. */
function isPreferred(key: string, rank: number, previousKey: string): boolean {
  const previousRank = FIELD_BY_ALIAS.get(previousKey.toLowerCase())?.rank ?? Number.MAX_SAFE_INTEGER;
  return rank < previousRank || (rank === previousRank && key === key.toLowerCase());
}

/** For the "cannot detect format" message: what the row does contain. */
export function describeKeys(row: Record<string, unknown>, limit = 20): string {
  const keys = Object.keys(row);
  if (keys.length === 0) return 'no keys (empty object)';
  const shown = keys.slice(0, limit).map((key) => JSON.stringify(key));
  return shown.join(', ') + (keys.length > limit ? `, … (${keys.length} keys)` : '');
}
