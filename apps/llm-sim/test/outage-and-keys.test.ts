import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { anthropicClient, openaiClient, startTestSimulator } from './fixtures';

const ask = (client: OpenAI) => client.chat.completions.create({ model: 'sim-teacher', messages: [{ role: 'user', content: 'Name a colour.' }], max_tokens: 16 });

describe('the simulator as an endpoint that goes away and keys that stop working', () => {
  test('down: connections are refused and requests on the wire are cut unbilled; then it listens again on the same port', async () => {
    const sim = await startTestSimulator();
    const client = openaiClient(sim);
    try {
      await ask(client);
      sim.configure({ latencyMs: 2_000, jitterMs: 0 });
      const cut = ask(client).then(() => 'answered', (err: unknown) => err);
      while (sim.inFlight() === 0) await new Promise((r) => setTimeout(r, 5));
      await sim.takeDown(60_000);
      expect(sim.isDown()).toBe(true);
      expect(await cut).toBeInstanceOf(OpenAI.APIConnectionError);
      await expect(ask(client)).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
      expect(sim.stats().wire).toMatchObject({ billed: 1, undelivered: 0 });

      await sim.bringUp();
      sim.configure({ latencyMs: 0 });
      expect(sim.isDown()).toBe(false);
      const reply = await ask(client);
      expect(reply.choices[0]!.message.content).toBeTruthy();
      expect(sim.stats().wire.billed).toBe(2);
    } finally {
      await sim.close();
    }
  });

  test('POST /sim/outage answers, then takes the endpoint down for downMs by itself', async () => {
    const sim = await startTestSimulator();
    try {
      const res = await fetch(`${sim.url}/sim/outage`, { method: 'POST', body: JSON.stringify({ downMs: 300 }) });
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
      await expect(fetch(`${sim.url}/health`)).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 500));
      expect((await fetch(`${sim.url}/health`)).status).toBe(200);
      expect((await fetch(`${sim.url}/sim/outage`, { method: 'POST', body: '{"downMs":"soon"}' })).status).toBe(400);
    } finally {
      await sim.close();
    }
  });

  test('a revoked key gets 401 from both APIs (also the models list and embeddings), other keys do not; restoring it ends that', async () => {
    const sim = await startTestSimulator();
    try {
      const revoked = openaiClient(sim, { apiKey: 'sk-revoked-1234' });
      const other = openaiClient(sim, { apiKey: 'sk-other' });
      const res = await fetch(`${sim.url}/sim/keys`, { method: 'POST', body: JSON.stringify({ revoke: 'sk-revoked-1234' }) });
      expect(res.status).toBe(200);
      await expect(ask(revoked)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      await expect(revoked.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      await expect(revoked.embeddings.create({ model: 'sim-embedding', input: ['hi'] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      await expect(ask(other)).resolves.toBeDefined();
      await expect(other.embeddings.create({ model: 'sim-embedding', input: ['hi'] })).resolves.toBeDefined();
      sim.revokeKey('sk-ant-test');
      await expect(
        anthropicClient(sim).messages.create({ model: 'sim-judge', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
      ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
      await fetch(`${sim.url}/sim/keys`, { method: 'POST', body: JSON.stringify({ restore: 'sk-revoked-1234' }) });
      await expect(ask(revoked)).resolves.toBeDefined();
      expect((await fetch(`${sim.url}/sim/keys`, { method: 'POST', body: '{}' })).status).toBe(400);
    } finally {
      await sim.close();
    }
  });
});
