import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, isAdminPath } from './admin-routes';
import { anthropicMessages } from './anthropic-messages';
import { chatGenerator } from './chat-generation';
import { handleCompletion } from './completion-pipeline';
import { handleCountTokens } from './count-tokens-route';
import { EndpointOutage } from './endpoint-outage';
import { FaultInjector } from './fault-injector';
import { BodyTooLargeError, readBody, sendJson, TimerSet } from './http-io';
import { handleModels } from './models-route';
import { openAiChat } from './openai-chat';
import { openAiCompletions } from './openai-completions';
import { handleEmbeddings } from './openai-embeddings';
import { applyPatch, resolveOptions, type RateLimit, type SimulatorOptions } from './options';
import { SlidingWindowRateLimiter } from './rate-limiter';
import type { SimulatorState } from './simulator-state';
import { RequestJournal, type JournalEntry } from './request-journal';
import { StatsRecorder, type SimulatorStats } from './stats';
import { textCompletionGenerator } from './text-completion';

export interface RunningSimulator {
  /** Base URL without /v1, e.g. http://127.0.0.1:8787 (OpenAI clients add /v1 themselves). */
  url: string;
  port: number;
  /** Stops listening, drops open (keep-alive or hanging) connections and pending timers. */
  close(): Promise<void>;
  stats(): SimulatorStats;
  /** The last generation requests answered, oldest first (request-journal.ts); reset with the stats. */
  requests(): JournalEntry[];
  /** Requests on the wire right now (accepted, reply not yet generated): what a crash at this moment would leave unanswered. */
  inFlight(): number;
  /** Forgets counters, billed keys and the request journal, as POST /sim/reset-stats does. */
  resetStats(): void;
  /** Shallow patch of options, effective for the next request (port and host are fixed once listening). */
  configure(patch: Partial<SimulatorOptions>): void;
  /**
   * Refuses connections for downMs (requests on the wire are reset and not billed), then listens
   * again on the same port; resolves once nothing listens (endpoint-outage.ts).
   */
  takeDown(downMs: number): Promise<void>;
  /** Ends an outage early. */
  bringUp(): Promise<void>;
  isDown(): boolean;
  /** Refuses requests carrying this API key with a 401 until it is restored. */
  revokeKey(key: string): void;
  restoreKey(key: string): void;
}

/** Clients keep connections around for a while; closing idle sockets sooner causes spurious ECONNRESETs. */
const KEEP_ALIVE_MS = 65_000;

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const timers = new TimerSet();
  const state: SimulatorState = {
    options: resolveOptions(opts),
    limiter: new SlidingWindowRateLimiter((model) => limitFor(state.options.rateLimits, model)),
    faults: new FaultInjector(),
    stats: new StatsRecorder(),
    journal: new RequestJournal(),
    timers,
    revokedKeys: new Set(),
    outage: new EndpointOutage(timers),
  };
  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
    route(state, req, res).catch((error: unknown) => {
      sendJson(res, 500, { error: { message: `llm-sim internal error: ${String(error)}`, type: 'server_error', param: null, code: null } });
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;

  const { port, host } = state.options;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  state.outage.attach(server, actualPort, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        const wasDown = state.outage.isDown();
        state.outage.cancel();
        // Down, the server is closed already: closing it again would only report that.
        server.close((error) => (error && !wasDown ? reject(error) : resolve()));
        state.timers.cancelAll();
        server.closeAllConnections();
      }),
    stats: () => state.stats.snapshot(),
    requests: () => state.journal.snapshot(),
    inFlight: () => state.stats.billing.currentlyInFlight(),
    resetStats: () => {
      state.stats.reset();
      state.journal.reset();
    },
    configure: (patch) => {
      state.options = applyPatch(state.options, patch);
    },
    takeDown: (downMs) => state.outage.takeDown(downMs),
    bringUp: () => state.outage.bringUp(),
    isDown: () => state.outage.isDown(),
    revokeKey: (key) => void state.revokedKeys.add(key),
    restoreKey: (key) => void state.revokedKeys.delete(key),
  };
}

function limitFor(limits: Record<string, RateLimit>, model: string): RateLimit | undefined {
  return limits[model] ?? limits['*'];
}

async function route(state: SimulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const path = (req.url ?? '/').split('?')[0]?.replace(/\/+$/, '') || '/';
  let rawBody: string;
  try {
    rawBody = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    sendJson(res, 413, { error: { message: error.message, type: 'invalid_request_error', param: null, code: null } }, { connection: 'close' });
    return;
  }

  if (isAdminPath(path)) {
    if (!handleAdmin(state, method, path, rawBody, res)) notFound(req, res, method, path);
    return;
  }
  state.stats.countRequest(`${method} ${path}`);
  if (path === '/v1/chat/completions' && method === 'POST') return handleCompletion(openAiChat, chatGenerator, state, req, res, rawBody);
  if (path === '/v1/completions' && method === 'POST') return handleCompletion(openAiCompletions, textCompletionGenerator, state, req, res, rawBody);
  if (path === '/v1/embeddings' && method === 'POST') return handleEmbeddings(state, req, res, rawBody);
  if (path === '/v1/messages' && method === 'POST') return handleCompletion(anthropicMessages, chatGenerator, state, req, res, rawBody);
  if (path === '/v1/messages/count_tokens' && method === 'POST') return handleCountTokens(state, req, res, rawBody);
  if ((path === '/v1/models' || path.startsWith('/v1/models/')) && method === 'GET') return handleModels(state, req, res, path);
  notFound(req, res, method, path);
}

function notFound(req: IncomingMessage, res: ServerResponse, method: string, path: string): void {
  const message = `Invalid URL (${method} ${path})`;
  if (req.headers['anthropic-version'] !== undefined) {
    sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message } });
  } else {
    sendJson(res, 404, { error: { message, type: 'invalid_request_error', param: null, code: null } });
  }
}
