import { randomBytes } from 'node:crypto';
import type { ApiError, GenerationRequest } from './generation-request';
import type { ModelProfile } from './options';
import type { RateLimitSnapshot } from './rate-limiter';
import type { ReplyKind } from './reply-engine';

/** One generated choice after max_tokens / stop handling. */
export interface GeneratedChoice {
  text: string;
  /** 'length' = cut at max_tokens; 'stop_sequence' = cut at one of the request's stop strings. */
  finish: 'stop' | 'length' | 'stop_sequence';
  stopSequence: string | null;
  /** The text is the JSON object a structured request asked for (Anthropic renders it as tool_use). */
  structured?: boolean;
  /** The model declined a structured request; OpenAI renders the text as message.refusal. */
  refusal?: boolean;
}

export interface CompletionResult {
  choices: GeneratedChoice[];
  promptTokens: number;
  completionTokens: number;
  kind: ReplyKind;
}

/**
 * How one provider spells requests, responses and errors on the wire. The request pipeline
 * (auth, limits, faults, latency, generation) is shared; only the shapes differ. Endpoints with
 * extra request fields (legacy completions: echo, logprobs) parse into a wider request type R and
 * render a wider result C.
 */
export interface ApiDialect<R extends GenerationRequest = GenerationRequest, C extends CompletionResult = CompletionResult> {
  readonly provider: 'openai' | 'anthropic';
  /** Name of the header carrying the request id ('x-request-id' / 'request-id'). */
  readonly requestIdHeader: string;
  newRequestId(): string;
  parseRequest(body: unknown): R | ApiError;
  contextExceeded(promptTokens: number, maxTokens: number | undefined, limit: number): ApiError;
  renderResponse(req: R, result: C): unknown;
  renderError(error: ApiError, requestId: string): { status: number; body: unknown };
  rateLimitHeaders(snapshot: RateLimitSnapshot): Record<string, string>;
}

/**
 * What the simulated model does with a parsed request, apart from the wire format: chat endpoints
 * count prompts per message and reply through the reply engine; the legacy completions endpoint
 * counts word tokens and continues the text with log-probabilities.
 */
export interface ReplyGenerator<R extends GenerationRequest = GenerationRequest, C extends CompletionResult = CompletionResult> {
  /** Prompt tokens as this endpoint counts them: usage, context limit and TPM all use this number. */
  promptTokens(req: R): number;
  generate(req: R, ctx: GenerationContext): C;
}

export interface GenerationContext {
  profile: ModelProfile;
  /** The simulator seed. */
  seed: number;
  /** Whether this request drew a malformed-judge fault; only judge prompts honour it. */
  malformedJudge: boolean;
  promptTokens: number;
  contextLimit: number;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random ids in provider style; unlike reply text they are meant to differ on every call. */
export function randomBase62(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[(bytes[i] as number) % 62];
  return out;
}

/** Missing, or an integer >= min: the common shape of max_tokens, n and seed checks. */
export function isOptionalInt(value: unknown, min: number): boolean {
  return value === undefined || value === null || (Number.isInteger(value) && (value as number) >= min);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value;
}
