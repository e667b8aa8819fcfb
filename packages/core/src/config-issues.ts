import { looksLikeSecret } from './api-key-env';
import type { z } from 'zod';
import type { ConfigIssue } from './config-error';
import { boundedLevenshtein } from './edit-distance';

/** zod's built-in messages ("Invalid input: expected number, received string") rewritten for people. */
export function humanIssueMessage(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      return `expected ${describeType(String(iss.expected))}`;
    case 'too_small':
      return `expected ${boundText(iss.origin, iss.inclusive ? '>=' : '>', Number(iss.minimum))}`;
    case 'too_big':
      return `expected ${boundText(iss.origin, iss.inclusive ? '<=' : '<', Number(iss.maximum))}`;
    case 'invalid_value':
      return `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return iss.format === 'url' ? 'expected an http(s) URL' : `expected a valid ${iss.format}`;
    default:
      return undefined;
  }
}

function describeType(expected: string): string {
  const names: Record<string, string> = {
    object: 'a mapping (key: value pairs)',
    array: 'a list',
    string: 'text',
    number: 'a number',
    int: 'an integer',
    boolean: 'true or false',
  };
  return names[expected] ?? expected;
}

function boundText(origin: string, op: string, bound: number): string {
  if (origin === 'string') return bound === 1 && op === '>=' ? 'non-empty text' : `text of length ${op} ${bound}`;
  if (origin === 'array') return `a list with ${op} ${bound} entries`;
  return `${origin === 'int' ? 'an integer' : 'a number'} ${op} ${bound}`;
}

/** "models.teacher.concurrency", "taxonomy.categories[3].name", 'refine.prompts["Code Debug"]'. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(segment))) out += `${out === '' ? '' : '.'}${String(segment)}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    // A key pasted into the wrong field must not be printed back to a terminal or a CI log.
    if (looksLikeSecret(value)) return 'a value that looks like an API key (not shown)';
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

/** The keys a strict object accepts at `path`, found by walking zod's schema definitions. */
export function allowedKeysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let node = unwrap(schema);
  for (const segment of path) {
    const def = defOf(node);
    if (def?.type === 'object') node = unwrap(def.shape?.[String(segment)]);
    else if (def?.type === 'record') node = unwrap(def.valueType);
    else if (def?.type === 'array') node = unwrap(def.element);
    else return [];
  }
  const def = defOf(node);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

interface SchemaDef {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  out?: unknown;
  valueType?: unknown;
  element?: unknown;
}

function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

function unwrap(schema: unknown): unknown {
  let node = schema;
  for (let def = defOf(node); def; def = defOf(node)) {
    // A preprocess step is a pipe from a transform into the real schema; a transform step is the reverse.
    if (def.type === 'pipe') node = defOf(def.in)?.type === 'transform' ? def.out : def.in;
    else if (['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def.type)) node = def.innerType;
    else break;
  }
  return node;
}

function suggestion(key: string, allowed: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  return allowed.find((a) => a.toLowerCase() === lower) ?? allowed.find((a) => boundedLevenshtein(lower, a.toLowerCase(), 2) <= 2);
}

const SHOWS_INPUT = new Set(['invalid_type', 'too_small', 'too_big', 'invalid_value', 'invalid_format', 'invalid_union']);

/** Turns zod issues into located, human issues; unknown keys become one issue each, pointing at the key. */
export function toConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  schema: unknown,
  lineOf: (path: readonly PropertyKey[]) => number | undefined,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const push = (path: readonly PropertyKey[], message: string): void => {
    const issue: ConfigIssue = { path: formatPath(path), message };
    const line = lineOf(path);
    if (line !== undefined) issue.line = line;
    out.push(issue);
  };

  for (const iss of issues) {
    if (iss.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(schema, iss.path);
      for (const key of iss.keys) {
        const near = suggestion(key, allowed);
        const hint = near !== undefined ? `; did you mean "${near}"?` : '';
        const list = allowed.length > 0 ? ` (allowed here: ${allowed.join(', ')})` : '';
        push([...iss.path, key], `unknown key "${key}"${hint}${list}`);
      }
      continue;
    }
    const value = valueAt(data, iss.path);
    let message = iss.message;
    if (SHOWS_INPUT.has(iss.code)) {
      message = value === undefined ? `${message}, but it is missing` : `${message}, got ${describeValue(value)}`;
    }
    push(iss.path, message);
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
