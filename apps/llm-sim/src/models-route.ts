import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkApiKey, checkRevoked } from './api-auth';
import { anthropicMessages } from './anthropic-messages';
import { sendJson } from './http-io';
import { listedModelNames } from './model-profiles';
import { openAiChat } from './openai-chat';
import type { SimulatorState } from './simulator-state';

/** A fixed creation time keeps listings byte-identical across runs. */
const CREATED = 1_700_000_000;

/**
 * GET /v1/models[/id]. Both providers serve this path with different shapes; the Anthropic SDK
 * always sends `anthropic-version`, so that header picks the dialect.
 */
export function handleModels(state: SimulatorState, req: IncomingMessage, res: ServerResponse, path: string): void {
  const dialect = req.headers['anthropic-version'] !== undefined ? anthropicMessages : openAiChat;
  const requestId = dialect.newRequestId();
  const headers = { [dialect.requestIdHeader]: requestId };
  const revoked = checkRevoked(req, dialect.provider, state.revokedKeys);
  if (state.options.requireApiKey || revoked !== null) {
    const authError = revoked ?? checkApiKey(req, dialect.provider);
    if (authError !== null) {
      const rendered = dialect.renderError(authError, requestId);
      return sendJson(res, rendered.status, rendered.body, headers);
    }
  }
  const names = listedModelNames(state.options.models);
  const describe: (id: string) => object = dialect.provider === 'openai'
    ? (id: string) => ({ id, object: 'model', created: CREATED, owned_by: 'llm-sim' })
    : (id: string) => ({ type: 'model', id, display_name: `${id} (llm-sim)`, created_at: new Date(CREATED * 1000).toISOString() });

  const wanted = path.startsWith('/v1/models/') ? decodeURIComponent(path.slice('/v1/models/'.length)) : undefined;
  if (wanted === undefined) {
    const data = names.map((name) => describe(name));
    const body = dialect.provider === 'openai'
      ? { object: 'list', data }
      : { data, has_more: false, first_id: names[0] ?? null, last_id: names[names.length - 1] ?? null };
    return sendJson(res, 200, body, headers);
  }
  // Any name is usable for generation, so any name "exists" here too.
  sendJson(res, 200, describe(wanted), headers);
}
