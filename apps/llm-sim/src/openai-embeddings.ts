import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkApiKey, checkRevoked } from './api-auth';
import { randomBase62, typeName } from './api-dialect';
import { passFaultsAndLatency, rateLimitError, requestKey, retryAfterHeaders } from './completion-pipeline';
import { DEFAULT_EMBEDDING_DIMENSIONS, embeddingTokens, embedText, MAX_EMBEDDING_DIMENSIONS } from './embedding-model';
import { invalid, type ApiError } from './generation-request';
import { parseJson, sendJson } from './http-io';
import { resolveProfile } from './model-profiles';
import { isRecord } from './options';
import { openAiChat } from './openai-chat';
import type { SimulatorState } from './simulator-state';

/** OpenAI's per-request cap on inputs. */
const MAX_INPUTS = 2048;

export interface EmbeddingsRequest {
  model: string;
  /** Each input as text; token-id inputs are read as their ids joined, which is all a simulator can do with them. */
  inputs: string[];
  encoding: 'float' | 'base64';
  dimensions: number;
}

/** OpenAI's `input`: a string, an array of strings, an array of token ids, or an array of such arrays. */
function parseInput(input: unknown): string[] | ApiError {
  const isTokens = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((t) => Number.isInteger(t));
  if (typeof input === 'string') return input === '' ? invalid("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'input') : [input];
  if (isTokens(input)) return [input.join(' ')];
  if (!Array.isArray(input)) return invalid(`Invalid type for 'input': expected a string or an array, but got ${typeName(input)} instead.`, 'input', 'invalid_type');
  if (input.length === 0) return invalid("'$.input' is invalid: an empty array.", 'input');
  if (input.length > MAX_INPUTS) return invalid(`'$.input' is invalid: at most ${MAX_INPUTS} inputs per request, got ${input.length}.`, 'input');
  const out: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const item: unknown = input[i];
    if (typeof item === 'string' && item !== '') out.push(item);
    else if (isTokens(item)) out.push(item.join(' '));
    else return invalid(`'$.input[${i}]' is invalid: expected a non-empty string or an array of token ids.`, `input[${i}]`);
  }
  return out;
}

export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest | ApiError {
  if (!isRecord(body)) return invalid('We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.');
  const { model, input, encoding_format: encoding, dimensions } = body;
  if (typeof model !== 'string' || model.length === 0) return invalid('you must provide a model parameter');
  if (input === undefined) return invalid("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  const inputs = parseInput(input);
  if (!Array.isArray(inputs)) return inputs;
  if (encoding !== undefined && encoding !== null && encoding !== 'float' && encoding !== 'base64') {
    return invalid(`Invalid value: '${String(encoding)}'. Supported values are: 'float' and 'base64'.`, 'encoding_format', 'invalid_value');
  }
  if (dimensions !== undefined && dimensions !== null && !(Number.isInteger(dimensions) && (dimensions as number) >= 1 && (dimensions as number) <= MAX_EMBEDDING_DIMENSIONS)) {
    return invalid(`Invalid 'dimensions': expected an integer from 1 to ${MAX_EMBEDDING_DIMENSIONS}.`, 'dimensions', 'invalid_value');
  }
  return {
    model,
    inputs,
    encoding: encoding === 'base64' ? 'base64' : 'float',
    dimensions: typeof dimensions === 'number' ? dimensions : DEFAULT_EMBEDDING_DIMENSIONS,
  };
}

/** Little-endian float32 bytes, base64: what OpenAI sends for encoding_format "base64". */
function toBase64(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

export function renderEmbeddings(req: EmbeddingsRequest, vectors: Float32Array[], promptTokens: number): unknown {
  return {
    object: 'list',
    data: vectors.map((vector, index) => ({ object: 'embedding', index, embedding: req.encoding === 'base64' ? toBase64(vector) : Array.from(vector) })),
    model: req.model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

/**
 * POST /v1/embeddings, OpenAI's wire shape, through the same gates as the generation routes: auth,
 * validation, the context limit per input, the model's rate limit (tokens = the inputs' tokens),
 * injected faults and latency; the reply is counted in the stats (kind "embed") and the journal.
 */
export async function handleEmbeddings(state: SimulatorState, req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> {
  const started = Date.now();
  const requestId = `req_${randomBase62(32)}`;
  const body = parseJson(rawBody);
  let model = isRecord(body) && typeof body.model === 'string' && body.model.length > 0 ? body.model : undefined;
  const fail = (error: ApiError, headers: Record<string, string> = {}) => {
    const rendered = openAiChat.renderError(error, requestId);
    sendJson(res, rendered.status, rendered.body, { 'x-request-id': requestId, ...headers });
    if (model !== undefined) state.stats.recordOutcome(model, error.kind === 'rate_limit' ? 'rate_limited' : 'error');
  };
  const options = state.options;
  // A revoked key is refused as by the generation routes, whether or not keys are required otherwise.
  const revoked = checkRevoked(req, 'openai', state.revokedKeys);
  if (options.requireApiKey || revoked !== null) {
    const authError = revoked ?? checkApiKey(req, 'openai');
    if (authError !== null) return fail(authError);
  }
  if (body === undefined) return fail(invalid('We could not parse the JSON body of your request. The OpenAI API expects a JSON payload.'));
  const parsed = parseEmbeddingsRequest(body);
  if ('kind' in parsed) return fail(parsed);
  model = parsed.model;

  const profile = resolveProfile(parsed.model, options.models);
  const contextLimit = profile.contextTokens ?? options.contextTokens;
  const tokens = parsed.inputs.map(embeddingTokens);
  const tooLong = tokens.findIndex((n) => n > contextLimit);
  if (tooLong >= 0) {
    return fail(invalid(`This model's maximum context length is ${contextLimit} tokens, however you requested ${tokens[tooLong]} tokens in input[${tooLong}]. Please reduce your prompt.`, `input[${tooLong}]`, 'context_length_exceeded'));
  }
  const promptTokens = tokens.reduce((a, b) => a + b, 0);

  const acquired = state.limiter.tryAcquire(parsed.model, promptTokens);
  const limitHeaders = openAiChat.rateLimitHeaders(acquired.snapshot);
  if (!acquired.ok) return fail(rateLimitError(openAiChat, parsed.model, acquired), { ...limitHeaders, ...retryAfterHeaders(acquired.retryAfterMs) });

  const passed = await passFaultsAndLatency(state, req, rawBody, parsed.model, profile.faults ?? options.faults, openAiChat, limitHeaders, fail);
  if (passed === undefined) return;

  const vectors = parsed.inputs.map((text) => embedText(parsed.model, text, parsed.dimensions));
  const delivered = !passed.clientGone && !res.destroyed;
  state.stats.billing.recordBilled(requestKey(rawBody), false, delivered);
  if (!delivered) {
    state.stats.recordOutcome(parsed.model, 'error');
    return;
  }
  state.limiter.settle(parsed.model, acquired.ticket, promptTokens);
  state.stats.recordOutcome(parsed.model, 'ok', promptTokens, 0);
  state.stats.recordReply('embed');
  state.journal.record({ model: parsed.model, kind: 'embed', maxTokens: null, finishReasons: parsed.inputs.map(() => 'stop'), system: '', turns: 0 });
  sendJson(res, 200, renderEmbeddings(parsed, vectors, promptTokens), {
    'x-request-id': requestId,
    ...limitHeaders,
    'x-llm-sim-kind': 'embed',
    'openai-processing-ms': String(Date.now() - started),
  });
}
