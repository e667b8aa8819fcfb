import { isPlainObject, mustBeString, RowProblem, typeName } from './row-problem';
import type { FoundField } from './row-fields';

/** The part of a conversation tapir needs: what the user asked first, and the reply to it. */
export interface FirstExchange {
  instruction: string;
  output?: string;
}

const SHAREGPT_USER = new Set(['human', 'user']);
const SHAREGPT_ASSISTANT = new Set(['gpt', 'assistant']);

/** ShareGPT `conversations: [{from, value}]`. System and tool turns are skipped. */
export function sharegptExchange(field: FoundField): FirstExchange {
  return firstExchange(field, 'from', 'value', SHAREGPT_USER, SHAREGPT_ASSISTANT, (label, value) =>
    mustBeString(label, value),
  );
}

/** OpenAI chat `messages: [{role, content}]`; content may be a string or a list of parts. */
export function openaiExchange(field: FoundField): FirstExchange {
  return firstExchange(field, 'role', 'content', new Set(['user']), new Set(['assistant']), openaiContentText);
}

function firstExchange(
  field: FoundField,
  roleKey: string,
  contentKey: string,
  userRoles: ReadonlySet<string>,
  assistantRoles: ReadonlySet<string>,
  contentText: (label: string, value: unknown) => string,
): FirstExchange {
  const turns = field.value;
  if (!Array.isArray(turns)) throw new RowProblem(`field '${field.key}' must be an array, got ${typeName(turns)}`);
  let instruction: string | undefined;
  for (let i = 0; i < turns.length; i++) {
    const turn: unknown = turns[i];
    const label = `${field.key}[${i}]`;
    if (!isPlainObject(turn)) throw new RowProblem(`'${label}' must be an object, got ${typeName(turn)}`);
    const role = mustBeString(`'${label}.${roleKey}'`, turn[roleKey]).toLowerCase();
    if (instruction === undefined) {
      if (userRoles.has(role)) instruction = contentText(`'${label}.${contentKey}'`, turn[contentKey]);
    } else if (assistantRoles.has(role)) {
      // An assistant turn without content (an OpenAI tool call) is not the answer; keep looking.
      if (turn[contentKey] === null || turn[contentKey] === undefined) continue;
      return { instruction, output: contentText(`'${label}.${contentKey}'`, turn[contentKey]) };
    }
  }
  if (instruction === undefined) {
    throw new RowProblem(`no ${[...userRoles].join('/')} turn in '${field.key}'`);
  }
  return { instruction };
}

/** Text parts are joined with newlines; image and audio parts carry nothing a text pool can use. */
function openaiContentText(label: string, content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw new RowProblem(`${label} must be a string or an array of parts, got ${typeName(content)}`);
  const texts: string[] = [];
  for (const part of content) {
    if (isPlainObject(part) && part['type'] === 'text') texts.push(mustBeString(`${label} text part`, part['text']));
  }
  return texts.join('\n');
}
