/** The provider-neutral request both API dialects parse into, and the errors they can report. */

export interface ConversationTurn {
  role: 'user' | 'assistant';
  text: string;
}

/** A reply asked for as one JSON object of a schema (OpenAI response_format json_schema, Anthropic forced tool). */
export interface ReplyFormat {
  kind: 'json_schema' | 'tool';
  name: string;
  schema: Record<string, unknown>;
}

export interface GenerationRequest {
  model: string;
  /** All system / developer text joined; empty when there is none. */
  system: string;
  turns: ConversationTurn[];
  maxTokens?: number;
  temperature?: number;
  seed?: number;
  stop: string[];
  n: number;
  replyFormat?: ReplyFormat;
}

export type ApiErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'not_found'
  | 'too_large'
  | 'rate_limit'
  | 'server_error'
  | 'overloaded';

/** What went wrong, independent of how a provider spells it on the wire. */
export interface ApiError {
  kind: ApiErrorKind;
  message: string;
  /** OpenAI's `param`, e.g. 'messages' or 'temperature'. */
  param?: string | null;
  /** OpenAI's `code`, e.g. 'context_length_exceeded'. */
  code?: string | null;
  /** For 429s: which limit was hit (OpenAI puts it in `type`). */
  limitType?: 'requests' | 'tokens';
}

export function invalid(message: string, param: string | null = null, code: string | null = null): ApiError {
  return { kind: 'invalid_request', message, param, code };
}

export function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && 'kind' in value && 'message' in value;
}

/** Plain text of a message content: a string, or the text parts of a content-part array. */
export function flattenContent(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string') {
      texts.push((part as { text: string }).text);
    }
  }
  return texts.join('\n');
}
