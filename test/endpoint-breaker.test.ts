import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import { parseCampaignConfig } from '@tapir/core';
import { DEFAULT_BREAKER_POLICY, EndpointBreaker, endpointKey, type BreakerPolicy } from '@tapir/llm';
import { campaignStatus, createCampaign, openPipeline, reconcileCampaign, silentLogger, WorkerHost, type Pipeline } from '@tapir/pipeline';
import { measureCampaign } from './support/fault-metrics';
import { createTestEnv, REDIS_URL, simConfigYaml, waitFor, type TestEnv } from './support/test-env';

/**
 * The endpoint's breaker is one state in Redis for every process: what one worker learns (the
 * endpoint is down, it is back) holds for all the others at once.
 */
// Probe intervals of seconds, not milliseconds: on a busy CI machine a Redis round trip can take longer than 50 ms,
// and a breaker whose probe time has come admits the next request as its probe.
const policy: BreakerPolicy = { ...DEFAULT_BREAKER_POLICY, openAfterFailures: 3, firstProbeAfterMs: 2_000, maxProbeIntervalMs: 8_000 };

describe('one breaker per endpoint, shared by every process through Redis', () => {
  const prefix = `tapirtest:cb:${randomBytes(4).toString('hex')}`;
  const connections = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
  // Two processes' views: separate connections, caches and update queues.
  const [a, b] = connections.map((redis) => new EndpointBreaker(redis, { keyPrefix: prefix, closedCacheMs: 0 })) as [EndpointBreaker, EndpointBreaker];
  const endpoint = endpointKey('openai', 'http://127.0.0.1:9/v1', 'sim-teacher');

  afterAll(async () => {
    const keys = await connections[0]!.keys(`${prefix}:*`);
    if (keys.length > 0) await connections[0]!.del(...keys);
    connections.forEach((c) => c.disconnect());
  });

  test("failures seen by one process open it for the other; exactly one probe goes; the other's answer closes it for both", async () => {
    await Promise.all([a.recordOutage(endpoint, 'connection: refused', policy), b.recordOutage(endpoint, 'connection: refused', policy)]);
    expect((await b.admit(endpoint, policy)).go).toBe(true);
    await a.recordOutage(endpoint, 'connection: refused', policy);
    const turnedAway = await b.admit(endpoint, policy);
    expect(turnedAway).toMatchObject({ go: false, lastError: 'connection: refused' });

    await new Promise((r) => setTimeout(r, policy.firstProbeAfterMs + 10));
    // Twenty requests from both processes at once: one of them is the probe.
    const admissions = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).admit(endpoint, policy)));
    expect(admissions.filter((x) => x.go)).toEqual([{ go: true, probe: true }]);
    expect((await a.state(endpoint)).state.phase).toBe('half_open');

    await b.recordAnswer(endpoint);
    expect((await a.state(endpoint)).state).toMatchObject({ phase: 'closed', failures: 0, downSince: null, opened: 1 });
    expect((await a.admit(endpoint, policy)).go).toBe(true);
  });

  test('a reset (tapir resume) forgets the outage for every process', async () => {
    for (let i = 0; i < policy.openAfterFailures; i++) await a.recordOutage(endpoint, 'timeout: Request timed out.', policy);
    expect((await b.admit(endpoint, policy)).go).toBe(false);
    await b.reset(endpoint);
    expect((await a.admit(endpoint, policy)).go).toBe(true);
  });
});

describe('a campaign on two worker processes rides out an endpoint outage', () => {
  const ITEMS = 24;
  const OUTAGE_MS = 3_000;
  let env: TestEnv;
  let second: Pipeline;
  const hosts: WorkerHost[] = [];

  beforeAll(async () => {
    env = await createTestEnv({ latencyMs: 120, jitterMs: 40 });
    second = await openPipeline({ databaseUrl: env.databaseUrl, queuePrefix: env.queuePrefix, logger: silentLogger });
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.close()));
    await second.close();
    await env.close();
  });

  test('0 items failed, no request billed twice, and the breaker opened and closed again', async () => {
    const lines = (await readFile(resolve(__dirname, '../samples/seed-pool.jsonl'), 'utf8')).split('\n').filter(Boolean).slice(0, ITEMS);
    const dataFile = join(await mkdtemp(join(tmpdir(), 'tapir-breaker-')), 'pool.jsonl');
    await writeFile(dataFile, lines.join('\n') + '\n');
    const config = parseCampaignConfig(simConfigYaml(env.simUrl), 'breaker.yaml');
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile });
    await reconcileCampaign(env.pipeline.services, campaignId);
    hosts.push(env.startWorkers(8));
    const other = new WorkerHost(second.services, second.redis, { concurrency: 8 });
    other.start();
    hosts.push(other);

    await waitFor('requests on the wire', async () => (env.sim.inFlight() > 0 ? true : undefined), 60_000);
    await env.sim.takeDown(OUTAGE_MS);
    const done = await waitFor('the campaign to complete', async () => {
      const s = await campaignStatus(env.pipeline.services.db, campaignId);
      if (s?.campaign.status === 'failed' || s?.campaign.status === 'paused') throw new Error(`campaign ${s.campaign.status}: ${s.campaign.message}`);
      return s?.campaign.status === 'completed' ? s : undefined;
    });
    expect(done.campaign.status).toBe('completed');

    const measured = await measureCampaign(env.pipeline.services.db, campaignId);
    expect(measured).toMatchObject({ itemsFailedWithReason: 0, itemsLost: 0, itemsFinished: ITEMS });
    expect(env.sim.stats().wire.billedAgain).toBe(0);
    // Requests refused at the connection are failed ledger rows; none of them became a failed item.
    const refused = await env.pipeline.services.db.execute<{ n: string }>(
      sql`select count(*) as n from llm_calls where campaign_id = ${campaignId} and status = 'failed' and error like 'connection%'`,
    );
    expect(Number(refused.rows[0]!.n)).toBeGreaterThan(0);
    const roles = Object.values(config.models).map((m) => endpointKey(m.provider, m.baseURL, m.model));
    const states = await Promise.all(roles.map((key) => second.services.breaker.state(key)));
    expect(states.some(({ state }) => state.opened > 0)).toBe(true);
    expect(states.every(({ state }) => state.phase === 'closed')).toBe(true);
  });
});
