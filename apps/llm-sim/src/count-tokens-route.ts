import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicMessages } from './anthropic-messages';
import { checkApiKey, checkRevoked } from './api-auth';
import { isApiError } from './generation-request';
import { parseJson, sendJson } from './http-io';
import { isRecord } from './options';
import type { SimulatorState } from './simulator-state';
import { countPromptTokens } from './tokens';

/** POST /v1/messages/count_tokens: same counting as `usage.input_tokens`, so budgets can be planned. */
export function handleCountTokens(state: SimulatorState, req: IncomingMessage, res: ServerResponse, rawBody: string): void {
  const requestId = anthropicMessages.newRequestId();
  const headers = { [anthropicMessages.requestIdHeader]: requestId };
  const fail = (error: Parameters<typeof anthropicMessages.renderError>[0]) => {
    const rendered = anthropicMessages.renderError(error, requestId);
    sendJson(res, rendered.status, rendered.body, headers);
  };
  const revoked = checkRevoked(req, 'anthropic', state.revokedKeys);
  if (state.options.requireApiKey || revoked !== null) {
    const authError = revoked ?? checkApiKey(req, 'anthropic');
    if (authError !== null) return fail(authError);
  }
  const body = parseJson(rawBody);
  // count_tokens takes no max_tokens; lend one so the shared Messages validation applies unchanged.
  const parsed = anthropicMessages.parseRequest(isRecord(body) ? { max_tokens: 1, ...body } : body);
  if (isApiError(parsed)) return fail(parsed);
  sendJson(res, 200, { input_tokens: countPromptTokens(parsed.system, parsed.turns) }, headers);
}
