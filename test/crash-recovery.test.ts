import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCampaignConfig } from '@tapir/core';
import { startSimulator } from '@tapir/llm-sim';
import { campaignProgress, createCampaign, ledgerUsage, openPipeline, silentLogger, type Pipeline } from '@tapir/pipeline';
import { startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from './support/private-services';
import { runTapir } from './support/run-tapir';
import { simConfigYaml, waitFor } from './support/test-env';

const TAPIR = resolve(__dirname, '../apps/cli/bin/tapir.js');
const SAMPLE = resolve(__dirname, '../samples/seed-pool.jsonl');
const ITEMS = 240;

/**
 * The whole chain at once, on a PostgreSQL and a Redis of the test's own: a standalone worker is
 * SIGKILLed with requests on the wire, Redis is flushed, and PostgreSQL is restarted (a real
 * stop and start, every connection cut), all while `tapir run` works the campaign. Nobody runs
 * `tapir resume`: the campaign must finish by itself, the dead worker's rows end `abandoned`,
 * and status shows nothing in flight.
 */
describe('a campaign through a worker kill, a Redis wipe and a PostgreSQL restart', () => {
  let postgres: PrivatePostgres | string;
  let redis: PrivateRedis | undefined;
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let pipeline: Pipeline | undefined;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    if (typeof postgres === 'string') {
      process.stderr.write(`SKIPPED crash-recovery end-to-end test: ${postgres}\n`);
      return;
    }
    redis = await startPrivateRedis();
    sim = await startSimulator({ port: 0, latencyMs: 250, jitterMs: 100 });
  });
  afterAll(async () => {
    await pipeline?.close().catch(() => undefined);
    await sim?.close();
    await redis?.stop();
    if (postgres && typeof postgres !== 'string') await postgres.stop();
  });

  test('finishes with no manual step and nothing in flight afterwards', async () => {
    if (typeof postgres === 'string') return; // skipped, said why in beforeAll
    const pg = postgres;
    const databaseUrl = pg.url('tapir_crash');
    const queuePrefix = `crash${randomBytes(4).toString('hex')}`;
    pipeline = await openPipeline({ databaseUrl, redisUrl: redis!.url, queuePrefix, logger: silentLogger });
    const db = pipeline.services.db;

    const lines = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean);
    const pool = Array.from({ length: ITEMS }, (_, i) => {
      const row = JSON.parse(lines[i % lines.length]!) as { instruction: string };
      if (i >= lines.length) row.instruction += ` (variant ${Math.floor(i / lines.length)})`;
      return JSON.stringify(row);
    });
    const file = join(await mkdtemp(join(tmpdir(), 'tapir-crash-')), 'pool.jsonl');
    await writeFile(file, pool.join('\n') + '\n');
    // The pool repeats the sample with "(variant N)" suffixes: near-duplicates by construction, kept here.
    const config = parseCampaignConfig(simConfigYaml(sim.url, 'clean: { dedup: { near: false } }'), 'crash.yaml');
    const { campaignId } = await createCampaign(db, { config, dataFile: file });

    const childEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis!.url,
      TAPIR_QUEUE_PREFIX: queuePrefix,
      TAPIR_SIM_KEY: 'sim-test-key',
      TAPIR_LOG_LEVEL: 'error',
      TAPIR_LOCK_MS: '2000',
      TAPIR_LEDGER_LEASE_MS: '8000',
      TAPIR_STALL_MS: '4000',
    };
    const start = (args: string[]) => {
      const child = spawn(process.execPath, [TAPIR, ...args], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
      const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      return { child, exit, stderr: () => stderr };
    };
    const pendingOf = async (owner: string) =>
      Number((await pipeline!.database.pool.query<{ n: string }>(`select count(*) as n from llm_calls where status = 'pending' and lease_owner like $1`, [owner])).rows[0]!.n);

    const victim = start(['worker', '--concurrency', '16']);
    const run = start(['run', campaignId, '--concurrency', '16']);

    // 1. The standalone worker dies with requests on the wire.
    await waitFor('the worker to have requests on the wire', async () => ((await pendingOf(`%:${victim.child.pid}`)) >= 3 ? true : undefined), 60_000);
    const onTheWireAtKill = await pendingOf(`%:${victim.child.pid}`);
    victim.child.kill('SIGKILL');
    await victim.exit;

    // 2. Redis loses everything, rate limiter and watchdog marks included.
    expect((await redis!.client.dbsize()) > 0).toBe(true);
    await redis!.client.flushall();
    const progressAtWipe = await campaignProgress(db, campaignId);
    expect(progressAtWipe!.status).not.toBe('completed');

    // 3. PostgreSQL stops and starts again while the run's workers hold connections and transactions.
    await new Promise((r) => setTimeout(r, 1500));
    const inFlightAtRestart = await pendingOf('%');
    await pg.restart(2000);

    // No tapir resume: the run's stall watchdog rebuilds the queues, leases hand the dead worker's requests over.
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([run.exit, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 240_000)))]);
    clearTimeout(timer);
    if (code !== 0) process.stderr.write(`tapir run: ${code}\n${run.stderr()}\n`);
    expect(code).toBe(0);

    const progress = await waitFor('PostgreSQL', () => campaignProgress(db, campaignId).catch(() => undefined));
    expect(progress.status).toBe('completed');
    expect(onTheWireAtKill).toBeGreaterThan(0);
    expect(inFlightAtRestart).toBeGreaterThan(0);

    const items = (await pipeline.database.pool.query<{ status: string; n: string }>(`select status, count(*) as n from items where campaign_id = $1 group by status`, [campaignId])).rows;
    expect(items.find((r) => r.status === 'pending')).toBeUndefined();
    expect(items.reduce((a, r) => a + Number(r.n), 0)).toBe(ITEMS);

    // Nothing stays pending: the dead worker's rows are abandoned, in the database and in status.
    const rows = (await pipeline.database.pool.query<{ status: string; n: string }>(`select status, count(*) as n from llm_calls where campaign_id = $1 group by status`, [campaignId])).rows;
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    expect(byStatus.pending ?? 0).toBe(0);
    expect(byStatus.abandoned ?? 0).toBeGreaterThan(0);
    const status = await runTapir(['status', campaignId, '--json'], childEnv);
    expect(status.code).toBe(0);
    const llm = (JSON.parse(status.stdout) as { llm: { pending: number; abandoned: number; mayHaveBeenBilledTwice: number }[] }).llm;
    expect(llm.reduce((a, u) => a + u.pending, 0)).toBe(0);
    expect(llm.reduce((a, u) => a + u.abandoned, 0)).toBe(byStatus.abandoned);
    const usage = await ledgerUsage(db, campaignId);
    expect(usage.reduce((a, u) => a + u.mayHaveBeenBilledTwice, 0)).toBeLessThanOrEqual(byStatus.abandoned!);

    // No request answered twice into the ledger: the Redis wipe's duplicate jobs and the restart
    // waited for their twins instead of sending them again (only a dead worker's rows may repeat).
    const completedTwice = await pipeline.database.pool.query(
      `select cache_key from llm_calls where campaign_id = $1 and status = 'completed' group by cache_key having count(*) > 1`,
      [campaignId],
    );
    expect(completedTwice.rowCount).toBe(0);

    // Paid twice on the wire: at most what the dead worker had on the wire (the Redis wipe and the restart add nothing).
    // The simulator's own count per request body (it bills a reply even if the killed worker never read it).
    const answeredTwice = sim.stats().wire.billedAgain;
    process.stdout.write(
      `crash recovery: ${onTheWireAtKill} on the wire at the kill, ${inFlightAtRestart} at the restart; ` +
        `${byStatus.abandoned} abandoned; simulator answered ${answeredTwice} twice\n`,
    );
    expect(answeredTwice).toBeLessThanOrEqual(onTheWireAtKill);
  });
});
