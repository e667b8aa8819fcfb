import { createServer, type Server } from 'node:http';
import { startSimulator, type RunningSimulator } from '@tapir/llm-sim';
import type { EndpointConfig } from '../src/endpoint';
import { probeEndpoint } from '../src/endpoint-probe';
import { describeProbeFailure } from '../src/probe-failure';

const env = { PROBE_KEY: 'probe-test-key' };
const endpoint = (over: Partial<EndpointConfig>): EndpointConfig => ({
  provider: 'openai',
  model: 'sim-teacher',
  apiKeyEnv: 'PROBE_KEY',
  temperature: 0,
  maxTokens: 16,
  timeoutMs: 5000,
  ...over,
});

/** A gateway without model routes: 404 on /v1/models/*, a normal chat completion otherwise. */
function gateway(completions: boolean): Promise<{ server: Server; url: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      if (completions && req.url === '/v1/chat/completions') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'O' }, finish_reason: 'length' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.url}`, type: 'not_found' } }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`, paths });
    }),
  );
}

describe('probeEndpoint: one cheap request through the SDK and key', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  test('openai and anthropic are proved by a model lookup, openai-compatible by a one-token completion', async () => {
    const before = sim.stats().requests;
    await expect(probeEndpoint(endpoint({ baseURL: `${sim.url}/v1` }), { timeoutMs: 5000, env })).resolves.toEqual({ ok: true, method: 'model lookup' });
    await expect(probeEndpoint(endpoint({ provider: 'anthropic', model: 'sim-judge', baseURL: sim.url }), { timeoutMs: 5000, env })).resolves.toEqual({ ok: true, method: 'model lookup' });
    await expect(
      probeEndpoint(endpoint({ provider: 'openai-compatible', model: 'sim-student', baseURL: `${sim.url}/v1`, apiKeyEnv: undefined }), { timeoutMs: 5000, env }),
    ).resolves.toEqual({ ok: true, method: 'completion' });
    // One request each, no retry.
    expect(sim.stats().requests - before).toBe(3);
    // Probing again is a new request, never the same one bought twice (or served from a cache).
    const billedAgain = sim.stats().wire.billedAgain;
    await probeEndpoint(endpoint({ provider: 'openai-compatible', model: 'sim-student', baseURL: `${sim.url}/v1`, apiKeyEnv: undefined }), { timeoutMs: 5000, env });
    expect(sim.stats().wire.billedAgain).toBe(billedAgain);
  });

  test('a lookup answered 404 (a gateway without the route) is followed by a completion, which decides', async () => {
    const open = await gateway(true);
    try {
      await expect(probeEndpoint(endpoint({ baseURL: open.url }), { timeoutMs: 5000, env })).resolves.toEqual({ ok: true, method: 'completion' });
      expect(open.paths).toEqual(['GET /v1/models/sim-teacher', 'POST /v1/chat/completions']);
    } finally {
      open.server.close();
    }
    const closed = await gateway(false);
    try {
      const outcome = await probeEndpoint(endpoint({ baseURL: closed.url }), { timeoutMs: 5000, env });
      expect(outcome).toMatchObject({ ok: false, method: 'completion' });
      expect(describeProbeFailure((outcome as { error: unknown }).error, 5000).text).toMatch(/^404 /);
    } finally {
      closed.server.close();
    }
  });

  test('a missing key variable and a closed port come back as errors, never thrown', async () => {
    const missing = await probeEndpoint(endpoint({ baseURL: `${sim.url}/v1`, apiKeyEnv: 'PROBE_UNSET' }), { timeoutMs: 5000, env });
    expect(missing.ok).toBe(false);
    expect(describeProbeFailure((missing as { error: unknown }).error, 5000)).toMatchObject({ missingKey: true });
    const closed = await gateway(false);
    const url = closed.url;
    await new Promise((r) => closed.server.close(r));
    const down = await probeEndpoint(endpoint({ baseURL: url }), { timeoutMs: 5000, env });
    expect(describeProbeFailure((down as { error: unknown }).error, 5000).text).toBe('connection refused');
  });
});
