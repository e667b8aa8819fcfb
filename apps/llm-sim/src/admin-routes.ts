import type { ServerResponse } from 'node:http';
import { parseJson, sendJson } from './http-io';
import { applyPatch, validatePatch, type SimulatorOptions } from './options';
import type { SimulatorState } from './simulator-state';

/**
 * /health and /sim/* (stats, config, outage, keys): control endpoints for other processes (a worker under test, the e2e suite),
 * which cannot call configure() or stats() directly. Never counted, never delayed, no API key.
 */
export function handleAdmin(state: SimulatorState, method: string, path: string, rawBody: string, res: ServerResponse): boolean {
  if (method === 'GET' && path === '/health') {
    sendJson(res, 200, { status: 'ok' });
  } else if (method === 'GET' && path === '/sim/stats') {
    sendJson(res, 200, state.stats.snapshot());
  } else if (method === 'GET' && path === '/sim/requests') {
    sendJson(res, 200, state.journal.snapshot());
  } else if (method === 'POST' && path === '/sim/reset-stats') {
    state.stats.reset();
    state.journal.reset();
    sendJson(res, 200, { ok: true });
  } else if (method === 'POST' && path === '/sim/outage') {
    // {"downMs": N}: answered first, since the outage cuts this connection too.
    const body = parseJson(rawBody.length === 0 ? '{}' : rawBody) as { downMs?: unknown } | undefined;
    const downMs = body?.downMs;
    if (typeof downMs !== 'number' || !Number.isFinite(downMs) || downMs < 0) {
      sendJson(res, 400, { error: { message: "'downMs' must be a number of milliseconds >= 0", type: 'invalid_request_error' } });
    } else {
      sendJson(res, 200, { ok: true, downMs });
      res.once('finish', () => void state.outage.takeDown(downMs));
    }
  } else if (method === 'POST' && path === '/sim/keys') {
    // {"revoke": "key"} or {"restore": "key"}: that key gets 401s until restored.
    const body = parseJson(rawBody.length === 0 ? '{}' : rawBody) as { revoke?: unknown; restore?: unknown } | undefined;
    const revoke = typeof body?.revoke === 'string' && body.revoke.length > 0 ? body.revoke : undefined;
    const restore = typeof body?.restore === 'string' && body.restore.length > 0 ? body.restore : undefined;
    if (revoke === undefined && restore === undefined) {
      sendJson(res, 400, { error: { message: 'expected {"revoke": key} or {"restore": key}', type: 'invalid_request_error' } });
    } else {
      if (revoke !== undefined) state.revokedKeys.add(revoke);
      if (restore !== undefined) state.revokedKeys.delete(restore);
      sendJson(res, 200, { ok: true, revoked: state.revokedKeys.size });
    }
  } else if (method === 'GET' && path === '/sim/config') {
    sendJson(res, 200, state.options);
  } else if (method === 'POST' && path === '/sim/config') {
    const patch = parseJson(rawBody.length === 0 ? '{}' : rawBody);
    const problem = validatePatch(patch);
    if (problem !== null) {
      sendJson(res, 400, { error: { message: problem, type: 'invalid_request_error' } });
    } else {
      state.options = applyPatch(state.options, patch as Partial<SimulatorOptions>);
      sendJson(res, 200, state.options);
    }
  } else {
    return false;
  }
  return true;
}

/** Admin paths bypass API-key checks, latency and stats. */
export function isAdminPath(path: string): boolean {
  return path === '/health' || path.startsWith('/sim/');
}
