import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { sql } from 'drizzle-orm';
import { parseCampaignConfig } from '@tapir/core';
import { campaignProgress, createCampaign } from '@tapir/pipeline';
import { formatFaultTable, measureCampaign, requestsInFlight, simulatorAnsweredTwice, type FaultRow } from './support/fault-metrics';
import { ADMIN_DATABASE_URL, createTestEnv, simConfigYaml, waitFor, type TestEnv } from './support/test-env';
import type { SimulatorOptions } from '@tapir/llm-sim';

/**
 * The fault suite: campaigns under worker SIGKILLs, a Redis wipe, a PostgreSQL outage and
 * provider faults, each checked for lost items, duplicate rows and requests paid twice.
 * `npm test` runs it small; `npm run test:faults` sets TAPIR_FAULT_ITEMS for a bigger run.
 */
const ITEMS = Number(process.env.TAPIR_FAULT_ITEMS ?? 100);
const KILLS = Number(process.env.TAPIR_FAULT_KILLS ?? 5);
const TAPIR = resolve(__dirname, '../apps/cli/bin/tapir.js');
const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const rows: FaultRow[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The bundled sample, repeated with a suffix when more items are wanted than it has. */
async function poolOf(size: number): Promise<string> {
  const lines = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < size; i++) {
    const row = JSON.parse(lines[i % lines.length]!) as { instruction: string };
    if (i >= lines.length) row.instruction += ` (variant ${Math.floor(i / lines.length)})`;
    out.push(JSON.stringify(row));
  }
  const file = join(await mkdtemp(join(tmpdir(), 'tapir-faults-')), 'pool.jsonl');
  await writeFile(file, out.join('\n') + '\n');
  return file;
}

/**
 * `lockMs` short only where workers are killed, so that their jobs are taken over quickly;
 * elsewhere the default lock keeps a busy (not dead) worker's job from being run twice.
 */
function startTapir(env: TestEnv, args: string[], lockMs?: number): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [TAPIR, ...args], {
    env: { ...env.childEnv, TAPIR_LOG_LEVEL: 'error', ...(lockMs ? { TAPIR_LOCK_MS: String(lockMs) } : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exit = new Promise<number | null>((done) =>
    child.on('exit', (code, signal) => {
      // A failed run explains itself in the test output.
      if (code !== 0 && signal !== 'SIGKILL') process.stderr.write(`tapir ${args.join(' ')} exited ${code}:\n${stderr}\n`);
      done(code);
    }),
  );
  return { child, exit };
}

async function setUp(simOptions: SimulatorOptions, extraConfig = '') {
  const env = await createTestEnv(simOptions);
  const config = parseCampaignConfig(simConfigYaml(env.simUrl, extraConfig), 'faults.yaml');
  const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: await poolOf(ITEMS) });
  return { env, campaignId, started: Date.now() };
}

async function judgedShare(env: TestEnv, campaignId: string): Promise<number> {
  const p = await campaignProgress(env.pipeline.services.db, campaignId);
  const judge = p?.steps.find((s) => s.step === 'judge');
  return judge ? judge.done / Math.max(1, judge.total) : 0;
}

async function record(scenario: string, env: TestEnv, campaignId: string, started: number, extra: Partial<FaultRow>) {
  const measured = await measureCampaign(env.pipeline.services.db, campaignId);
  const stats = env.sim.stats();
  const injected = Object.values(stats.injected).reduce((a, b) => a + b, 0);
  const okReplies = Object.values(stats.byModel).reduce((a, m) => a + m.ok, 0);
  const row: FaultRow = {
    scenario,
    faultsInjected: injected,
    simulatorAnsweredTwice: await simulatorAnsweredTwice(env.pipeline.services.db, campaignId, okReplies),
    inFlightAtKills: null,
    seconds: (Date.now() - started) / 1000,
    ...measured,
    ...extra,
  };
  rows.push(row);
  return row;
}

function expectHealthy(row: FaultRow) {
  expect(row.itemsLost).toBe(0);
  expect(row.duplicateRows).toBe(0);
  expect(row.repeatedPaidRequests).toBeLessThanOrEqual(row.inFlightAtKills ?? 0);
}

describe(`fault suite (${ITEMS} items per scenario)`, () => {
  afterAll(async () => {
    const table = formatFaultTable(rows);
    process.stdout.write(`\nfault suite, ${ITEMS} items per scenario\n${table}\n`);
    await mkdir(resolve(__dirname, '../out/faults'), { recursive: true });
    await writeFile(resolve(__dirname, '../out/faults/report.json'), JSON.stringify({ items: ITEMS, rows }, null, 2));
  });

  test(`SIGKILL of every worker ${KILLS} times, then tapir resume`, async () => {
    // Enough latency that the campaign outlives every kill (batched round trips made 200 ms too
    // little for the fifth); requests are in flight at each one.
    const { env, campaignId, started } = await setUp({ latencyMs: 500, jitterMs: 150 });
    try {
      let kills = 0;
      for (let k = 0; k < KILLS; k++) {
        const run = startTapir(env, [k === 0 ? 'run' : 'resume', campaignId], 2000);
        const outcome = await Promise.race([run.exit.then(() => 'exited'), sleep(1200 + Math.random() * 1800).then(() => 'kill')]);
        if (outcome === 'exited') break;
        run.child.kill('SIGKILL');
        await run.exit;
        kills++;
      }
      // Only killed processes wrote ledger rows so far: every pending row was in flight at a kill.
      const inFlightAtKills = await requestsInFlight(env.pipeline.services.db, campaignId);
      const last = startTapir(env, ['resume', campaignId], 2000);
      expect(await last.exit).toBe(0);
      const row = await record(`SIGKILL x${kills}`, env, campaignId, started, { faultsInjected: kills, inFlightAtKills });
      expect(kills).toBe(KILLS);
      expectHealthy(row);
    } finally {
      await env.close();
    }
  });

  test('Redis loses every queue mid-run; tapir resume rebuilds them from PostgreSQL', async () => {
    const { env, campaignId, started } = await setUp({ latencyMs: 30, jitterMs: 20 });
    try {
      const run = startTapir(env, ['run', campaignId]);
      await waitFor('a third of the items judged', async () => ((await judgedShare(env, campaignId)) > 0.3 ? true : undefined));
      // What FLUSHALL does to tapir, limited to this test's keys so that nothing else on the
      // machine's Redis is touched.
      const redis = env.pipeline.redis;
      let wiped = 0;
      for (const key of await redis.keys(`bull:${env.queuePrefix}-*`)) wiped += await redis.del(key);
      expect(wiped).toBeGreaterThan(0);
      const resume = startTapir(env, ['resume', campaignId, '--detach']);
      expect(await resume.exit).toBe(0);
      expect(await run.exit).toBe(0);
      const row = await record('Redis wiped', env, campaignId, started, { faultsInjected: 1 });
      expectHealthy(row);
    } finally {
      await env.close();
    }
  });

  test('PostgreSQL unreachable for 10 s mid-run; the run finishes without a manual step', async () => {
    const { env, campaignId, started } = await setUp({ latencyMs: 30, jitterMs: 20 });
    const admin = new Pool({ connectionString: ADMIN_DATABASE_URL, max: 1 });
    const dbName = new URL(env.databaseUrl).pathname.slice(1);
    try {
      const run = startTapir(env, ['run', campaignId]);
      await waitFor('a fifth of the items judged', async () => ((await judgedShare(env, campaignId)) > 0.2 ? true : undefined));
      await admin.query(`alter database "${dbName}" with allow_connections false`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
      await sleep(10_000);
      await admin.query(`alter database "${dbName}" with allow_connections true`);
      expect(await run.exit).toBe(0);
      const row = await record('PostgreSQL down 10 s', env, campaignId, started, { faultsInjected: 1 });
      expectHealthy(row);
    } finally {
      await admin.query(`alter database "${dbName}" with allow_connections true`).catch(() => undefined);
      await admin.end();
      await env.close();
    }
  });

  test('provider faults: 20% 429, 5% 5xx, 2% timeouts, 5% malformed judge replies', async () => {
    const faults = { rateLimitRate: 0.2, serverErrorRate: 0.05, timeoutRate: 0.02, malformedJudgeRate: 0.05, timeoutHangMs: 4000 };
    const { env, campaignId, started } = await setUp(
      { latencyMs: 20, jitterMs: 10, faults },
      // A short client timeout so that hung requests are retried quickly.
      'judge: { maxParseAttempts: 3 }',
    );
    try {
      // Every role's timeout down to 1.5 s (the sim hangs 4 s on an injected timeout).
      await env.pipeline.services.db.execute(
        sql`update campaigns set config = jsonb_set(jsonb_set(jsonb_set(config,
          '{models,teacher,timeoutMs}', '1500'), '{models,student,timeoutMs}', '1500'), '{models,judge,timeoutMs}', '1500')
          where id = ${campaignId}`,
      );
      const run = startTapir(env, ['run', campaignId]);
      expect(await run.exit).toBe(0);
      const row = await record('provider faults', env, campaignId, started, {});
      expectHealthy(row);
      expect(row.faultsInjected).toBeGreaterThan(ITEMS);
      expect(row.finishedShare).toBeGreaterThanOrEqual(0.99);
    } finally {
      await env.close();
    }
  });
});
