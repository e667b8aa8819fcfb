import type { ServerResponse } from 'node:http';
import { parseJson, sendJson } from './http-io';
import { applyPatch, validatePatch, type SimulatorOptions } from './options';
import type { SimulatorState } from './simulator-state';

/**
 * /health and /sim/*: control endpoints for other processes (a worker under test, the e2e suite),
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
