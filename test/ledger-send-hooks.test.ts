import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { campaigns, llmCalls } from '@tapir/db';
import { budgetHook, CampaignHaltedError, type SendHook } from '@tapir/ledger';
import { createProvider, LlmError, priceFor, type EndpointConfig } from '@tapir/llm';
import { createCampaign } from '@tapir/pipeline';
import { eq } from 'drizzle-orm';
import { createTestEnv, simConfigYaml, type TestEnv } from './support/test-env';

const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');

/**
 * The ledger runs the send hooks (pipeline's model-call composes them): a request stopped by a
 * hook is neither counted nor left holding budget, a failed one gives its reservation back, and a
 * paid one is settled in the same transaction as its row and served from the ledger afterwards.
 */
describe('ledger send hooks on the real database', () => {
  let env: TestEnv;
  let campaignId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    const dir = await mkdtemp(join(tmpdir(), 'tapir-hooks-'));
    const rows = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).slice(0, 2);
    await writeFile(join(dir, 'pool.jsonl'), rows.join('\n') + '\n');
    const config = parseCampaignConfig(simConfigYaml(env.simUrl, 'budget: { maxUsd: 10 }'), 'hooks.yaml');
    ({ campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: join(dir, 'pool.jsonl') }));
  });
  afterAll(async () => {
    await env?.close();
  });

  const endpoint = (baseURL: string): EndpointConfig => ({
    provider: 'openai',
    model: 'sim-teacher',
    baseURL,
    apiKeyEnv: 'TAPIR_SIM_KEY',
    temperature: 0,
    maxTokens: 64,
    timeoutMs: 10_000,
  });
  const context = () => ({ campaignId, itemId: 1, role: 'teacher', purpose: 'hooks-test' });
  const request = (salt: string) => ({ messages: [{ role: 'user' as const, content: 'Name a prime number.' }], temperature: 0, maxTokens: 64, promptVersion: 'v1', salt });

  async function budgetRow() {
    const [row] = await env.pipeline.services.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
    return row!;
  }
  async function callsOf(salt: string) {
    const rows = await env.pipeline.services.db.select().from(llmCalls).where(eq(llmCalls.campaignId, campaignId));
    return rows.filter((r) => (r.params as { salt?: string }).salt === salt);
  }

  test('a hook that stops the request: no row, and the budget reserved before it is released', async () => {
    const order: string[] = [];
    const stop: SendHook = {
      before: async () => {
        order.push('stop');
        throw new CampaignHaltedError(campaignId, 'paused', 'held for the test');
      },
    };
    const budget = budgetHook(env.pipeline.services.db, campaignId);
    const watchBudget: SendHook = { before: async () => void order.push('budget') };
    const provider = createProvider(endpoint(`${env.simUrl}/v1`));
    await expect(
      env.pipeline.services.ledger.complete(provider, request('stopped'), context(), priceFor('sim-teacher'), [budget, watchBudget, stop]),
    ).rejects.toBeInstanceOf(CampaignHaltedError);
    expect(order).toEqual(['budget', 'stop']);
    expect(await callsOf('stopped')).toHaveLength(0);
    const row = await budgetRow();
    expect(row.reservedUsd).toBeCloseTo(0, 10);
    expect(row.reservedTokens).toBe(0);
    expect(row.spentUsd).toBe(0);
  });

  test('a failed send: the row says failed, the reservation is given back, afterFailure hears of it', async () => {
    const failures: LlmError[] = [];
    const hooks = [budgetHook(env.pipeline.services.db, campaignId), { afterFailure: async (err: LlmError) => void failures.push(err) }];
    // Nothing listens on port 9 here: the connection is refused at once.
    const provider = createProvider(endpoint('http://127.0.0.1:9/v1'));
    await expect(env.pipeline.services.ledger.complete(provider, request('refused'), context(), priceFor('sim-teacher'), hooks)).rejects.toBeInstanceOf(LlmError);
    expect(failures.map((e) => e.kind)).toEqual(['connection']);
    const calls = await callsOf('refused');
    expect(calls.map((c) => c.status)).toEqual(['failed']);
    const row = await budgetRow();
    expect(row.reservedUsd).toBeCloseTo(0, 10);
    expect(row.reservedTokens).toBe(0);
    expect(row.spentUsd).toBe(0);
  });

  test('a paid answer is settled with its row, and the same request is then served, not paid again', async () => {
    const seen: string[] = [];
    const hooks: SendHook[] = [
      { around: async (send) => (seen.push('outer in'), await send().finally(() => seen.push('outer out'))) },
      budgetHook(env.pipeline.services.db, campaignId),
      { around: async (send) => (seen.push('inner in'), await send().finally(() => seen.push('inner out'))) },
    ];
    const provider = createProvider(endpoint(`${env.simUrl}/v1`));
    const first = await env.pipeline.services.ledger.complete(provider, request('paid'), context(), priceFor('sim-teacher'), hooks);
    expect(first.fromLedger).toBe(false);
    expect(seen).toEqual(['outer in', 'inner in', 'inner out', 'outer out']);
    const [call] = await callsOf('paid');
    expect(call!.status).toBe('completed');
    const afterFirst = await budgetRow();
    expect(afterFirst.spentUsd).toBeGreaterThan(0);
    expect(afterFirst.spentUsd).toBeCloseTo(call!.costUsd!, 10);
    expect(afterFirst.spentTokens).toBe(first.inputTokens + first.outputTokens);
    expect(afterFirst.reservedUsd).toBeCloseTo(0, 10);
    expect(afterFirst.reservedTokens).toBe(0);

    seen.length = 0;
    const again = await env.pipeline.services.ledger.complete(provider, request('paid'), context(), priceFor('sim-teacher'), hooks);
    expect(again.fromLedger).toBe(true);
    expect(again.text).toBe(first.text);
    expect(seen).toEqual([]);
    expect((await budgetRow()).spentUsd).toBe(afterFirst.spentUsd);
  });
});
