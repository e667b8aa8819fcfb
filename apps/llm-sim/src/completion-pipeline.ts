import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiDialect, CompletionResult, ReplyGenerator } from './api-dialect';
import { checkApiKey, checkRevoked } from './api-auth';
import { invalid, isApiError, type ApiError, type GenerationRequest } from './generation-request';
import { hashString } from './hashing';
import { parseJson, sendJson } from './http-io';
import { resolveProfile } from './model-profiles';
import type { FaultDecision } from './fault-injector';
import { DEFAULT_TIMEOUT_HANG_MS, isRecord, type FaultOptions } from './options';
import type { AcquireResult } from './rate-limiter';
import type { SimulatorState } from './simulator-state';
import { structuredOutputRejected } from './structured-reply';

/** Random 429s model a short burst; retry-after-ms lets SDKs come back quickly (retry-after stays >= 1 s). */
const INJECTED_RETRY_AFTER_MS = 250;

/**
 * One generation request, provider-agnostic: auth -> parse -> context check -> rate limit ->
 * fault draw -> latency -> reply. Validation failures and 429s return at once, as real gateways
 * reject before queueing; injected server faults and successes pay the latency. The dialect
 * decides the wire shapes, the generator what the model does (chat reply or text continuation).
 */
export async function handleCompletion<R extends GenerationRequest, C extends CompletionResult>(
  dialect: ApiDialect<R, C>, generator: ReplyGenerator<R, C>,
  state: SimulatorState, req: IncomingMessage, res: ServerResponse, rawBody: string,
): Promise<void> {
  const started = Date.now();
  const requestId = dialect.newRequestId();
  const baseHeaders: Record<string, string> = { [dialect.requestIdHeader]: requestId };
  const body = parseJson(rawBody);
  let model = isRecord(body) && typeof body.model === 'string' && body.model.length > 0 ? body.model : undefined;
  const fail = (error: ApiError, headers: Record<string, string> = {}) => {
    const rendered = dialect.renderError(error, requestId);
    sendJson(res, rendered.status, rendered.body, { ...baseHeaders, ...headers });
    if (model !== undefined) state.stats.recordOutcome(model, error.kind === 'rate_limit' ? 'rate_limited' : 'error');
  };

  const options = state.options;
  const revoked = checkRevoked(req, dialect.provider, state.revokedKeys);
  if (options.requireApiKey || revoked !== null) {
    const authError = revoked ?? checkApiKey(req, dialect.provider);
    if (authError !== null) return fail(authError);
  }
  if (body === undefined) return fail(invalid('We could not parse the JSON body of your request. The API expects a JSON payload.'));
  const parsed = dialect.parseRequest(body);
  if (isApiError(parsed)) return fail(parsed);
  model = parsed.model;

  const profile = resolveProfile(parsed.model, options.models);
  if (parsed.replyFormat !== undefined && profile.structuredOutput === false) return fail(structuredOutputRejected(parsed, dialect.provider));
  const promptTokens = generator.promptTokens(parsed);
  const contextLimit = profile.contextTokens ?? options.contextTokens;
  if (promptTokens > contextLimit || (parsed.maxTokens !== undefined && promptTokens + parsed.maxTokens > contextLimit)) {
    return fail(dialect.contextExceeded(promptTokens, parsed.maxTokens, contextLimit));
  }

  const acquired = state.limiter.tryAcquire(parsed.model, promptTokens + (parsed.maxTokens ?? 0) * parsed.n);
  const limitHeaders = dialect.rateLimitHeaders(acquired.snapshot);
  if (!acquired.ok) return fail(rateLimitError(dialect, parsed.model, acquired), { ...limitHeaders, ...retryAfterHeaders(acquired.retryAfterMs) });

  // Faults are per endpoint: a model's profile may carry its own rates, else the global ones apply.
  const passed = await passFaultsAndLatency(state, req, rawBody, parsed.model, profile.faults ?? options.faults, dialect, limitHeaders, fail);
  if (passed === undefined) return;
  const { decision, clientGone } = passed;

  const result = generator.generate(parsed, { profile, seed: options.seed, malformedJudge: decision.malformedJudge, promptTokens, contextLimit });
  const malformedJudge = decision.malformedJudge && result.kind.startsWith('judge');
  // Billed before delivery: a client that vanished during the wait has still paid for the reply.
  const delivered = !clientGone && !res.destroyed;
  state.stats.billing.recordBilled(requestKey(rawBody), malformedJudge, delivered);
  if (!delivered) {
    state.stats.recordOutcome(parsed.model, 'error');
    return;
  }
  if (malformedJudge) state.stats.recordInjected('malformed_judge');
  state.limiter.settle(parsed.model, acquired.ticket, promptTokens + result.completionTokens);
  state.stats.recordOutcome(parsed.model, 'ok', promptTokens, result.completionTokens);
  state.stats.recordReply(result.kind);
  state.journal.record({
    model: parsed.model,
    kind: result.kind,
    maxTokens: parsed.maxTokens ?? null,
    finishReasons: result.choices.map((c) => c.finish),
    system: parsed.system,
    turns: parsed.turns.length,
  });
  sendJson(res, 200, dialect.renderResponse(parsed, result), {
    ...baseHeaders,
    ...limitHeaders,
    'x-llm-sim-kind': result.kind,
    ...(dialect.provider === 'openai' ? { 'openai-processing-ms': String(Date.now() - started) } : {}),
  });
}

/** Two independent 53-bit hashes of the exact body: collisions are negligible for millions of requests. */
export function requestKey(rawBody: string): string {
  return `${hashString(rawBody, 1)}.${hashString(rawBody, 2)}`;
}

function latencyFor(latencyMs: number, jitterMs: number): number {
  if (latencyMs <= 0 && jitterMs <= 0) return 0;
  return Math.max(0, latencyMs + (Math.random() * 2 - 1) * jitterMs);
}

/** Both spellings: OpenAI's SDK prefers retry-after-ms, every client understands retry-after. */
export function retryAfterHeaders(retryAfterMs: number): Record<string, string> {
  return { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))), 'retry-after-ms': String(Math.ceil(retryAfterMs)) };
}

export function rateLimitError(dialect: Pick<ApiDialect, 'provider'>, model: string, hit: Extract<AcquireResult, { ok: false }>): ApiError {
  const seconds = Math.max(1, Math.ceil(hit.retryAfterMs / 1000));
  const unit = hit.limitType === 'requests' ? 'requests' : 'tokens';
  const message = hit.limit === 0
    ? `Rate limit exceeded for ${model} (injected by llm-sim, faults.rateLimitRate). Please try again in ${seconds}s.`
    : dialect.provider === 'openai'
    ? `Rate limit reached for ${model} in organization org-llmsim on ${unit} per min (${unit === 'requests' ? 'RPM' : 'TPM'}): Limit ${hit.limit}, Used ${hit.used}, Requested ${hit.requested}. Please try again in ${seconds}s. Visit https://platform.openai.com/account/rate-limits to learn more.`
    : `This request would exceed the rate limit for your organization of ${hit.limit} ${unit} per minute for ${model}. Please try again in ${seconds}s.`;
  return { kind: 'rate_limit', message, code: 'rate_limit_exceeded', limitType: hit.limitType };
}

/** What the fault draw and the latency left of a request that is still to be answered. */
export interface PassedRequest {
  decision: FaultDecision;
  /** The client hung up during the latency: the reply is billed but not delivered. */
  clientGone: boolean;
}

/**
 * The fault draw and the latency every generating route shares: a reset or a hang ends the
 * request here; otherwise the latency is paid and an injected 5xx or 429 is sent through `fail`.
 * Undefined when the request was answered (or dropped) here.
 */
export async function passFaultsAndLatency(
  state: SimulatorState, req: IncomingMessage, rawBody: string, model: string, faults: FaultOptions,
  dialect: Pick<ApiDialect, 'provider'>, limitHeaders: Record<string, string>,
  fail: (error: ApiError, headers?: Record<string, string>) => void,
): Promise<PassedRequest | undefined> {
  const options = state.options;
  const decision = state.faults.decide(hashString(rawBody, options.seed), options.seed, faults);
  if (decision.outcome !== 'none') state.stats.recordInjected(decision.outcome);
  if (decision.outcome === 'reset') {
    state.stats.recordOutcome(model, 'error');
    req.socket.destroy();
    return undefined;
  }
  if (decision.outcome === 'timeout') {
    state.stats.recordOutcome(model, 'error');
    const cancel = state.timers.after(faults.timeoutHangMs ?? DEFAULT_TIMEOUT_HANG_MS, () => req.socket.destroy());
    req.socket.once('close', cancel);
    return undefined;
  }
  const epoch = state.outage.epoch;
  state.stats.billing.enterFlight();
  try {
    await state.timers.sleep(latencyFor(options.latencyMs, options.jitterMs));
  } finally {
    state.stats.billing.leaveFlight();
  }
  // The endpoint went down while this request waited: no reply was generated, nothing is billed.
  if (state.outage.epoch !== epoch) {
    state.stats.recordOutcome(model, 'error');
    return undefined;
  }
  // A killed client's FIN does not destroy the response (the server keeps a half-open socket
  // while a reply is due): the socket's ended read side says that the client is gone.
  const clientGone = req.socket.destroyed || req.socket.readableEnded;
  if (decision.outcome === 'server_error') {
    fail({ kind: 'server_error', message: dialect.provider === 'openai' ? 'The server had an error while processing your request. Sorry about that!' : 'Internal server error' });
    return undefined;
  }
  if (decision.outcome === 'overloaded') {
    fail({ kind: 'overloaded', message: dialect.provider === 'openai' ? 'The server is overloaded or not ready yet.' : 'Overloaded' });
    return undefined;
  }
  if (decision.outcome === 'rate_limit') {
    const injected: AcquireResult = { ok: false, limitType: 'requests', limit: 0, used: 0, requested: 1, retryAfterMs: INJECTED_RETRY_AFTER_MS, snapshot: {} };
    fail(rateLimitError(dialect, model, injected), { ...limitHeaders, ...retryAfterHeaders(INJECTED_RETRY_AFTER_MS) });
    return undefined;
  }
  return { decision, clientGone };
}
