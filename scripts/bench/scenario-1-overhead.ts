import { createCampaign } from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { join } from 'node:path';
import { runBaseline } from './baseline';
import { benchConfig, createBenchEnv, pollCount, removePool, scalar, sleep, startCampaign, waitCompleted, writePool, type BenchEnv } from './env';
import type { ScenarioDef } from './results';
import { sized, type BenchSettings } from './settings';

export const CONCURRENCY = 16;

export function overheadItems(s: BenchSettings): number {
  return sized(s, 5000, 30, 20);
}

/**
 * tapir worker processes (BENCH_S1_WORKERS, default 1). The per-role concurrency is split
 * between them, so tapir as a whole has the baseline's concurrency, never more.
 */
export function overheadWorkers(s: BenchSettings): number {
  const n = Number(s.env.BENCH_S1_WORKERS ?? 1);
  if (!Number.isInteger(n) || n < 1 || CONCURRENCY % n !== 0) throw new Error(`BENCH_S1_WORKERS must divide ${CONCURRENCY}, got ${s.env.BENCH_S1_WORKERS}`);
  return n;
}

export interface OverheadRep {
  items: number;
  seconds: number;
  requests: number;
  workerPeakRssMb: number;
  /** PostgreSQL transactions (each autocommit statement is one) on the run's database, per sent LLM request. */
  pgXactsPerRequest: number;
  /** Redis commands (INFO commandstats, server-wide) per sent LLM request. */
  redisCommandsPerRequest: number;
  baseline?: { requests: number; seconds: number; failed: number };
  ledger?: { seconds: number; served: number; paid: number; firstPaid: number };
}

/**
 * One tapir campaign of N items through the full pipeline (a standalone `tapir worker` child,
 * the simulator at zero latency in its own process), then optionally the baseline replay of the
 * same requests and a second campaign over the same pool and config (scenario 6).
 */
export async function overheadRep(s: BenchSettings, rep: number, opts: { baseline: boolean; ledger: boolean }): Promise<OverheadRep> {
  const items = overheadItems(s);
  const env = await createBenchEnv({ latencyMs: 0 });
  const pool = await writePool(items, { tag: `s1-${rep}` });
  try {
    const workerCount = overheadWorkers(s);
    const config = benchConfig(env.sim.url, { concurrency: CONCURRENCY / workerCount });
    const db = env.pipeline.services.db;
    const { campaignId } = await createCampaign(db, { config, dataFile: pool });
    const profile = s.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(s.cpuProfDir, `rep${rep}`)}`] : [];
    const nodeArgs = [...s.workerNodeArgs, ...profile];
    const worker = await env.startWorker({ nodeArgs });
    const others = [];
    for (let w = 1; w < workerCount; w++) others.push(await env.startWorker({ nodeArgs }));
    const pg0 = await pgCounters(env);
    const redis0 = await redisCommandStats(env);
    const t0 = performance.now();
    await startCampaign(env, campaignId);
    const polls = await waitCompleted(env, campaignId, 3_600_000, worker).then(() => pollCount(campaignId));
    const seconds = (performance.now() - t0) / 1000;
    const redis1 = await redisCommandStats(env);
    await sleep(1500); // PostgreSQL publishes its statistics about once a second
    const pg1 = await pgCounters(env);
    const requests = await scalar(env, sql`select count(*) as n from llm_calls where campaign_id = ${campaignId} and status <> 'served'`);
    const redisDelta = Object.entries(redis1)
      .map(([cmd, n]) => [cmd, n - (redis0[cmd] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]);
    const redisCalls = redisDelta.reduce((a, [, n]) => a + n, 0);
    process.stderr.write(
      `  redis commands per LLM request: ${redisDelta.slice(0, 8).map(([c, n]) => `${c}=${(n / requests).toFixed(2)}`).join(' ')}\n` +
        `  postgres per LLM request: xacts=${((pg1.xacts - pg0.xacts - polls) / requests).toFixed(2)} inserted=${((pg1.ins - pg0.ins) / requests).toFixed(2)} updated=${((pg1.upd - pg0.upd) / requests).toFixed(2)} fetched=${((pg1.fetched - pg0.fetched) / requests).toFixed(1)}\n`,
    );
    const out: OverheadRep = {
      items,
      seconds,
      requests,
      workerPeakRssMb: 0,
      pgXactsPerRequest: (pg1.xacts - pg0.xacts - polls) / requests,
      redisCommandsPerRequest: redisCalls / requests,
    };

    if (opts.ledger) {
      const second = await createCampaign(db, { config, dataFile: pool });
      const t1 = performance.now();
      await startCampaign(env, second.campaignId);
      await waitCompleted(env, second.campaignId, 3_600_000, worker);
      const ledgerSeconds = (performance.now() - t1) / 1000;
      const served = await scalar(env, sql`select count(*) as n from llm_calls where campaign_id = ${second.campaignId} and status = 'served'`);
      const paid = await scalar(env, sql`select count(*) as n from llm_calls where campaign_id = ${second.campaignId} and status <> 'served'`);
      out.ledger = { seconds: ledgerSeconds, served, paid, firstPaid: requests };
    }
    await Promise.all([worker, ...others].map((w) => w.stop('SIGTERM')));
    out.workerPeakRssMb = Math.max(...[worker, ...others].map((w) => w.peakRssKb())) / 1024;

    if (opts.baseline) {
      const b = await runBaseline(env, campaignId, benchConfig(env.sim.url, { concurrency: CONCURRENCY }));
      out.baseline = { requests: b.requests, seconds: b.seconds, failed: b.failed };
    }
    return out;
  } finally {
    await removePool(pool);
    await env.close();
  }
}

async function pgCounters(env: BenchEnv) {
  const r = await env.pipeline.database.pool.query<{ x: string; ins: string; upd: string; fetched: string }>(
    `select xact_commit + xact_rollback as x, tup_inserted as ins, tup_updated as upd, tup_fetched as fetched
       from pg_stat_database where datname = current_database()`,
  );
  const row = r.rows[0]!;
  return { xacts: Number(row.x), ins: Number(row.ins), upd: Number(row.upd), fetched: Number(row.fetched) };
}

async function redisCommandStats(env: BenchEnv): Promise<Record<string, number>> {
  const info = await env.pipeline.redis.info('commandstats');
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) out[m[1]!] = Number(m[2]);
  return out;
}

/** When scenarios 1 and 6 both run, scenario 1's repetitions also do the ledger re-run; 6 reads them. */
export const sharedLedgerReps: OverheadRep[] = [];

export const scenario1: ScenarioDef = {
  id: 1,
  title: 'Orchestration overhead (sim latency 0)',
  figures: [
    { key: 'items', label: 'items', unit: '' },
    { key: 'tapirItemsPerS', label: 'tapir items/s', unit: 'items/s' },
    { key: 'tapirReqPerS', label: 'tapir LLM requests/s', unit: 'req/s' },
    { key: 'requestsPerItem', label: 'LLM requests per item', unit: '' },
    { key: 'baselineReqPerS', label: 'baseline (SDK only, same requests/concurrency) requests/s', unit: 'req/s' },
    { key: 'ratio', label: 'tapir / baseline requests/s (same run)', unit: '' },
    { key: 'workerPeakRssMb', label: 'tapir worker peak RSS', unit: 'MB' },
    { key: 'pgXactsPerRequest', label: 'PostgreSQL transactions per LLM request (pg_stat_database)', unit: '' },
    { key: 'redisCommandsPerRequest', label: 'Redis commands per LLM request (commandstats, server-wide)', unit: '' },
  ],
  targets: [{ label: "tapir's requests/s / baseline's", key: 'ratio', op: '>=', threshold: 0.6 }],
  reps: (s) => s.reps,
  params: (s) => ({ items: overheadItems(s), concurrencyPerRole: CONCURRENCY, workers: overheadWorkers(s), workerJobConcurrency: 64, simLatencyMs: 0 }),
  async run(s, rep) {
    const r = await overheadRep(s, rep, { baseline: true, ledger: s.scenarios.includes(6) });
    if (r.ledger) sharedLedgerReps.push(r);
    const tapirReqPerS = r.requests / r.seconds;
    const baselineReqPerS = r.baseline!.requests / r.baseline!.seconds;
    return {
      items: r.items,
      tapirItemsPerS: r.items / r.seconds,
      tapirReqPerS,
      requestsPerItem: r.requests / r.items,
      baselineReqPerS,
      ratio: tapirReqPerS / baselineReqPerS,
      workerPeakRssMb: r.workerPeakRssMb,
      pgXactsPerRequest: r.pgXactsPerRequest,
      redisCommandsPerRequest: r.redisCommandsPerRequest,
    };
  },
  notes: () => [
    'tapir: standalone `tapir worker` children (--concurrency 64; BENCH_S1_WORKERS of them, default 1, splitting the per-role concurrency), simulator in its own process; timed from enqueue (reconcile) to campaign status completed.',
    'baseline: the same requests (one per sent ledger row, rebuilt with @tapir/core prompt builders), same SDK clients (createProvider), same per-role concurrency and step dependencies, in the bench process, no queue, no database.',
  ],
};

export const scenario6: ScenarioDef = {
  id: 6,
  title: 'Ledger re-run of a finished campaign',
  figures: [
    { key: 'servedShare', label: 'share of requests served from the ledger', unit: '' },
    { key: 'paidAgain', label: 'requests sent again', unit: '' },
    { key: 'rerunSeconds', label: 're-run wall time', unit: 's' },
    { key: 'firstSeconds', label: 'first run wall time', unit: 's' },
    { key: 'timeRatio', label: 're-run time / first run time (same run)', unit: '' },
  ],
  targets: [{ label: 'share served from the ledger', key: 'servedShare', op: '>=', threshold: 1 }],
  reps: (s) => s.reps,
  params: (s) => ({ items: overheadItems(s), concurrencyPerRole: CONCURRENCY }),
  async run(s, rep) {
    const r = sharedLedgerReps[rep] ?? (await overheadRep(s, rep, { baseline: false, ledger: true }));
    const l = r.ledger!;
    return {
      servedShare: l.firstPaid > 0 ? l.served / l.firstPaid : 0,
      paidAgain: l.paid,
      rerunSeconds: l.seconds,
      firstSeconds: r.seconds,
      timeRatio: l.seconds / r.seconds,
    };
  },
  notes: () => [
    'a second campaign over the same pool and config, same worker, right after the first; served share = served rows / requests the first campaign sent.',
  ],
};
