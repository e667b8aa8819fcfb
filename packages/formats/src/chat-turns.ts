import { isPlainObject, mustBeString, RowProblem, typeName } from './row-problem';
import type { FoundField } from './row-fields';

/**
 * What tapir keeps of a conversation: the system prompt, the first user turn (the item's
 * instruction, which classification and MFD measure), the reply to it, and the user turns that
 * follow (whose replies the teacher writes again in context at refinement, import.turns: all).
 */
export interface Conversation {
  system?: string;
  instruction: string;
  output?: string;
  /** User turns after the first exchange, in order; the file's replies to them are not kept. */
  followUps: string[];
}

const SHAREGPT_USER = new Set(['human', 'user']);
const SHAREGPT_ASSISTANT = new Set(['gpt', 'assistant', 'chatgpt', 'bard', 'bing']);
const SYSTEM_ROLES = new Set(['system']);

/** ShareGPT `conversations: [{from, value}]`, with a `system` turn or a row-level `system` field. Tool turns are skipped. */
export function sharegptConversation(field: FoundField, system?: FoundField): Conversation {
  return conversationOf(field, system, 'from', 'value', SHAREGPT_USER, SHAREGPT_ASSISTANT, (label, value) => mustBeString(label, value));
}

/** OpenAI chat `messages: [{role, content}]`; content may be a string or a list of parts; role `system` (or `developer`) is the system prompt. */
export function openaiConversation(field: FoundField, system?: FoundField): Conversation {
  return conversationOf(field, system, 'role', 'content', new Set(['user']), new Set(['assistant']), openaiContentText);
}

function conversationOf(
  field: FoundField,
  systemField: FoundField | undefined,
  roleKey: string,
  contentKey: string,
  userRoles: ReadonlySet<string>,
  assistantRoles: ReadonlySet<string>,
  contentText: (label: string, value: unknown) => string,
): Conversation {
  const turns = field.value;
  if (!Array.isArray(turns)) throw new RowProblem(`field '${field.key}' must be an array, got ${typeName(turns)}`);
  const systems: string[] = [];
  if (systemField && systemField.value !== null && systemField.value !== undefined) {
    systems.push(mustBeString(`field '${systemField.key}'`, systemField.value));
  }
  let instruction: string | undefined;
  let output: string | undefined;
  const followUps: string[] = [];
  for (let i = 0; i < turns.length; i++) {
    const turn: unknown = turns[i];
    const label = `${field.key}[${i}]`;
    if (!isPlainObject(turn)) throw new RowProblem(`'${label}' must be an object, got ${typeName(turn)}`);
    const role = mustBeString(`'${label}.${roleKey}'`, turn[roleKey]).toLowerCase();
    if (SYSTEM_ROLES.has(role) || role === 'developer') {
      // Only a system turn before the first user turn frames the conversation; a later one is an
      // instruction mid-dialogue that a (system, turns) row cannot place, so it is refused.
      if (instruction !== undefined) throw new RowProblem(`'${label}' is a system turn after the first user turn`);
      systems.push(contentText(`'${label}.${contentKey}'`, turn[contentKey]));
      continue;
    }
    if (userRoles.has(role)) {
      const text = contentText(`'${label}.${contentKey}'`, turn[contentKey]);
      if (instruction === undefined) instruction = text;
      else if (output !== undefined && text.trim() !== '') followUps.push(text);
      else if (output === undefined) {
        // Two user turns before any reply: one message split in two.
        instruction = `${instruction}\n\n${text}`;
      }
      continue;
    }
    // An assistant turn without content (an OpenAI tool call) is not the answer; keep looking.
    if (assistantRoles.has(role) && instruction !== undefined && output === undefined) {
      if (turn[contentKey] === null || turn[contentKey] === undefined) continue;
      output = contentText(`'${label}.${contentKey}'`, turn[contentKey]);
    }
  }
  if (instruction === undefined) {
    throw new RowProblem(`no ${[...userRoles].join('/')} turn in '${field.key}'`);
  }
  const conversation: Conversation = { instruction, followUps };
  const system = systems.filter((s) => s.trim() !== '').join('\n\n');
  if (system !== '') conversation.system = system;
  if (output !== undefined) conversation.output = output;
  return conversation;
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
