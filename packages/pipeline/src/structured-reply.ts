import {
  JUDGE_REPLY_DESCRIPTION,
  JUDGE_REPLY_NAME,
  JUDGE_REPLY_SCHEMA,
  rejectsStructuredOutput,
  structuredReplyMode,
  type StructuredReplyMode,
} from '@tapir/core';
import { LlmError, type ChatProvider, type StructuredReplyRequest } from '@tapir/llm';
import type { RoleEndpoint } from './campaign-registry';

/**
 * Endpoints that answered `auto`'s structured request with a 400 naming it, in this process: they
 * are asked in text from then on, for the rest of the run, rather than paying a rejected request
 * per judgement. Keyed by the endpoint's identity (provider, base URL, model).
 */
const textOnlyEndpoints = new Set<string>();

/** The mode a judge request to this endpoint uses now. */
export function judgeReplyMode(endpoint: RoleEndpoint): StructuredReplyMode {
  const mode = structuredReplyMode(endpoint.settings.structuredOutput, endpoint.settings.provider);
  if (endpoint.settings.structuredOutput === 'auto' && textOnlyEndpoints.has(endpoint.endpointKey)) return 'text';
  return mode;
}

/**
 * Whether a failed structured request should be asked again in text: only under `auto`, and only
 * for the endpoint's 400 that names the structured-output parameter (remembered for the run).
 * With `json_schema` or `tool` set explicitly the rejection stands and the item fails with it.
 */
export function fallBackToText(endpoint: RoleEndpoint, mode: StructuredReplyMode, err: unknown): boolean {
  if (mode === 'text' || endpoint.settings.structuredOutput !== 'auto') return false;
  if (!(err instanceof LlmError) || err.kind !== 'bad_request') return false;
  if (!rejectsStructuredOutput(err.status, err.message)) return false;
  textOnlyEndpoints.add(endpoint.endpointKey);
  return true;
}

/** The judge's reply schema in the request shape of a mode. */
export function judgeReplyRequest(mode: StructuredReplyMode): StructuredReplyRequest | undefined {
  if (mode === 'text') return undefined;
  return { mode, name: JUDGE_REPLY_NAME, description: JUDGE_REPLY_DESCRIPTION, schema: JUDGE_REPLY_SCHEMA as unknown as Record<string, unknown> };
}

/**
 * The endpoint's provider with a structured reply added to every request. The ledger sends what
 * it is given and keys the request by its prompt version, which names the mode and the schema's
 * version (judgePromptVersion), so a structured reply is never served for a text request.
 */
export function withStructuredReply(provider: ChatProvider, reply: StructuredReplyRequest): ChatProvider {
  return {
    kind: provider.kind,
    model: provider.model,
    baseURL: provider.baseURL,
    complete: (request, signal) => provider.complete({ ...request, structuredReply: reply }, signal),
  };
}
