import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { openDatabase, type Database } from '@tapir/db';
import { closeAbandonedCalls, LlmLedger } from '@tapir/ledger';
import { createProvider, ledgerCacheKey, type EndpointConfig } from '@tapir/llm';
import { ledgerUsage } from '@tapir/pipeline';
import { createTestEnv, waitFor, type TestEnv } from './support/test-env';

const LATENCY_MS = 1_500;
const LEASE_MS = 1_000;

/**
 * Single flight on the real PostgreSQL and simulator: the simulator's own count of successful
 * replies says how often a request was paid, whatever the ledger's rows claim.
 */
describe('ledger single flight, leases and abandoned rows', () => {
  let env: TestEnv;
  let other: Database;
  const campaignId = 'flight';

  beforeAll(async () => {
    env = await createTestEnv({ latencyMs: LATENCY_MS });
    // A second pool: another process's ledger as far as PostgreSQL can tell.
    other = await openDatabase({ url: env.databaseUrl });
  });
  afterAll(async () => {
    await other?.close();
    await env?.close();
  });

  const endpoint: () => EndpointConfig = () => ({
    provider: 'openai',
    model: 'sim-teacher',
    baseURL: `${env.simUrl}/v1`,
    apiKeyEnv: 'TAPIR_SIM_KEY',
    temperature: 0,
    maxTokens: 32,
    timeoutMs: 30_000,
  });
  const request = (salt: string) => ({ messages: [{ role: 'user' as const, content: 'Name a prime number.' }], temperature: 0, maxTokens: 32, promptVersion: 'v1', salt });
  const context = { campaignId, itemId: 1, role: 'teacher', purpose: 'flight-test' };
  const answered = () => env.sim.stats().byModel['sim-teacher']?.ok ?? 0;
  const keyOf = (salt: string) => {
    const provider = createProvider(endpoint());
    return ledgerCacheKey({ ...request(salt), provider: provider.kind, baseURL: provider.baseURL, model: provider.model });
  };
  const rowsOf = async (salt: string) =>
    (
      await env.pipeline.database.pool.query<{ id: number; status: string; served_from_call_id: number | null; error: string | null; sent_at: Date | null }>(
        `select id, status, served_from_call_id, error, sent_at from llm_calls where cache_key = $1 order by id`,
        [keyOf(salt)],
      )
    ).rows;
  /** A row as a worker on another machine would have left it: on the wire, under its lease. */
  const foreignPendingRow = async (salt: string, leaseMsFromNow: number) => {
    const { rows } = await env.pipeline.database.pool.query<{ id: number }>(
      `insert into llm_calls (cache_key, campaign_id, item_id, role, purpose, provider, model, params, prompt_version, status,
                              sent_at, lease_owner, lease_expires_at)
       values ($1, $2, 1, 'teacher', 'flight-test', 'openai', 'sim-teacher', '{}', 'v1', 'pending',
               now(), 'elsewhere:4242', now() + $3::int * interval '1 millisecond') returning id`,
      [keyOf(salt), campaignId, leaseMsFromNow],
    );
    return rows[0]!.id;
  };

  test('two ledgers on two pools asking the same requests at once: the simulator answers each once, the second caller is served', async () => {
    const first = new LlmLedger(env.pipeline.services.db, { leaseMs: LEASE_MS });
    const second = new LlmLedger(other.db, { leaseMs: LEASE_MS });
    const before = answered();
    const salts = Array.from({ length: 6 }, (_, i) => `together-${i}`);
    const results = await Promise.all(
      salts.flatMap((salt) => [
        first.complete(createProvider(endpoint()), request(salt), context, undefined),
        second.complete(createProvider(endpoint()), request(salt), context, undefined),
      ]),
    );
    first.close();
    second.close();
    expect(answered() - before).toBe(salts.length);
    for (const [i, salt] of salts.entries()) {
      const pair = results.slice(2 * i, 2 * i + 2);
      expect(pair.map((r) => r.fromLedger).sort()).toEqual([false, true]);
      expect(pair[0]!.text).toBe(pair[1]!.text);
      const rows = await rowsOf(salt);
      expect(rows.map((r) => r.status).sort()).toEqual(['completed', 'served']);
      const paid = rows.find((r) => r.status === 'completed')!;
      expect(paid.sent_at).not.toBeNull();
      expect(rows.find((r) => r.status === 'served')!.served_from_call_id).toBe(paid.id);
    }
  });

  test('a twin on the wire under a live lease is waited for and its answer served, nothing sent', async () => {
    const twin = await foreignPendingRow('live-twin', 60_000);
    const before = answered();
    const asked = env.pipeline.services.ledger.complete(createProvider(endpoint()), request('live-twin'), context, undefined);
    await new Promise((r) => setTimeout(r, 500));
    await env.pipeline.database.pool.query(
      `update llm_calls set status = 'completed', response_text = 'seven, from the twin', finish_reason = 'stop', input_tokens = 5, output_tokens = 3, cost_usd = 0, completed_at = now() where id = $1`,
      [twin],
    );
    const result = await asked;
    expect(result).toMatchObject({ fromLedger: true, text: 'seven, from the twin' });
    expect(answered() - before).toBe(0);
    expect((await rowsOf('live-twin')).map((r) => [r.status, r.served_from_call_id])).toEqual([
      ['completed', null],
      ['served', twin],
    ]);
  });

  test('a row whose lease ran out is taken over, closed as abandoned, and the request paid once', async () => {
    const dead = await foreignPendingRow('dead-twin', 60_000);
    const before = answered();
    const asked = env.pipeline.services.ledger.complete(createProvider(endpoint()), request('dead-twin'), context, undefined);
    // Waiting while the lease lives...
    await new Promise((r) => setTimeout(r, 700));
    expect((await rowsOf('dead-twin')).map((r) => r.status)).toEqual(['pending']);
    // ... and taking over once it has run out (its worker stopped renewing it).
    await env.pipeline.database.pool.query(`update llm_calls set lease_expires_at = now() - interval '1 second' where id = $1`, [dead]);
    const result = await asked;
    expect(result.fromLedger).toBe(false);
    expect(answered() - before).toBe(1);
    const rows = await rowsOf('dead-twin');
    expect(rows.map((r) => r.status)).toEqual(['abandoned', 'completed']);
    expect(rows[0]!.error).toMatch(/elsewhere:4242/);
  });

  test("a SIGKILLed worker's row becomes abandoned, status shows nothing in flight, and the repeat is counted as maybe billed twice", async () => {
    const salt = 'killed';
    // A campaign of its own, so that only this test's rows count.
    const killedCampaign = 'flight-killed';
    const killedContext = { ...context, campaignId: killedCampaign };
    // A worker process that sends one request through its own ledger, then hangs on the answer.
    const script = `
      const { openDatabase } = require('@tapir/db');
      const { LlmLedger } = require('@tapir/ledger');
      const { createProvider } = require('@tapir/llm');
      (async () => {
        const database = await openDatabase({ url: process.env.DATABASE_URL });
        const ledger = new LlmLedger(database.db, { leaseMs: ${LEASE_MS} });
        const endpoint = ${JSON.stringify({ ...endpoint(), timeoutMs: 120_000 })};
        await ledger.complete(createProvider(endpoint), ${JSON.stringify(request(salt))}, ${JSON.stringify(killedContext)}, undefined);
      })();`;
    env.sim.configure({ latencyMs: 60_000 });
    const child = spawn(process.execPath, ['-e', script], { cwd: resolve(__dirname, '..'), env: env.childEnv, stdio: 'ignore' });
    try {
      await waitFor('the worker to send', async () => ((await rowsOf(salt)).some((r) => r.status === 'pending') ? true : undefined), 20_000);
      // It renews its lease while alive: still in flight well past one lease.
      await new Promise((r) => setTimeout(r, 2 * LEASE_MS));
      expect((await ledgerUsage(env.pipeline.services.db, killedCampaign)).find((u) => u.role === 'teacher')!.pending).toBe(1);
    } finally {
      child.kill('SIGKILL');
      env.sim.configure({ latencyMs: LATENCY_MS });
    }
    await waitFor('the lease to run out', async () => ((await ledgerUsage(env.pipeline.services.db, killedCampaign))[0]!.pending === 0 ? true : undefined), 10_000);
    const usage = (await ledgerUsage(env.pipeline.services.db, killedCampaign)).find((u) => u.role === 'teacher')!;
    expect(usage.abandoned).toBe(1);
    expect(usage.mayHaveBeenBilledTwice).toBe(0);

    expect(await closeAbandonedCalls(env.pipeline.services.db, killedCampaign)).toBe(1);
    expect((await rowsOf(salt)).map((r) => r.status)).toEqual(['abandoned']);

    // Asked again: sent once more (the first answer never reached the ledger), and counted.
    const again = await env.pipeline.services.ledger.complete(createProvider(endpoint()), request(salt), killedContext, undefined);
    expect(again.fromLedger).toBe(false);
    const after = (await ledgerUsage(env.pipeline.services.db, killedCampaign)).find((u) => u.role === 'teacher')!;
    expect(after).toMatchObject({ pending: 0, abandoned: 1, mayHaveBeenBilledTwice: 1 });
  });
});
