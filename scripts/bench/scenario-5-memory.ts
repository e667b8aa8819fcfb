import { createCampaign } from '@tapir/pipeline';
import { benchConfig, createBenchEnv, removePool, sleep, startCampaign, waitCompleted, writePool, type BenchEnv } from './env';
import type { ScenarioDef } from './results';
import { sized, type BenchSettings } from './settings';

function sizes(s: BenchSettings) {
  return {
    small: Number(s.env.BENCH_S5_SMALL) || sized(s, 10_000, 30, 100),
    large: Number(s.env.BENCH_S5_LARGE) || sized(s, 100_000, 120, 1000),
  };
}

/** What this run's queues still hold in Redis: keys, bytes (MEMORY USAGE), and job hashes among them. */
async function redisFootprint(env: BenchEnv): Promise<{ keys: number; bytes: number; jobKeys: number }> {
  const redis = env.pipeline.redis;
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  let jobKeys = 0;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `bull:${env.queuePrefix}-*`, 'COUNT', 1000);
    cursor = next;
    for (const key of batch) {
      keys++;
      bytes += Number((await redis.memory('USAGE', key)) ?? 0);
      // Job hashes are bull:<queue>:<jobId>; job ids start with the campaign id ("c...").
      if (/^bull:[^:]+:c[^:]*$/.test(key)) jobKeys++;
    }
  } while (cursor !== '0');
  return { keys, bytes, jobKeys };
}

async function usedMemory(env: BenchEnv): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await env.pipeline.redis.info('memory'))?.[1] ?? 0);
}

interface SizeResult {
  peakRssMb: number;
  seconds: number;
  redisKeys: number;
  redisBytes: number;
  jobKeys: number;
  usedMemoryDeltaMb: number;
}

async function runSize(n: number, tag: string): Promise<SizeResult> {
  const env = await createBenchEnv({ latencyMs: 0 });
  const pool = await writePool(n, { tag });
  try {
    const config = benchConfig(env.sim.url, { concurrency: 16 });
    const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: pool });
    const before = await usedMemory(env);
    const worker = await env.startWorker();
    const t0 = performance.now();
    await startCampaign(env, campaignId);
    await waitCompleted(env, campaignId, 6 * 3_600_000, worker);
    const seconds = (performance.now() - t0) / 1000;
    await worker.stop('SIGTERM');
    await sleep(500);
    const fp = await redisFootprint(env);
    const after = await usedMemory(env);
    return {
      peakRssMb: worker.peakRssKb() / 1024,
      seconds,
      redisKeys: fp.keys,
      redisBytes: fp.bytes,
      jobKeys: fp.jobKeys,
      usedMemoryDeltaMb: (after - before) / 2 ** 20,
    };
  } finally {
    await removePool(pool);
    await env.close();
  }
}

export const scenario5: ScenarioDef = {
  id: 5,
  title: 'Memory at scale (sim latency 0, standalone worker)',
  figures: [
    { key: 'smallItems', label: 'small campaign items', unit: '' },
    { key: 'largeItems', label: 'large campaign items', unit: '' },
    { key: 'smallPeakMb', label: 'worker peak RSS, small', unit: 'MB' },
    { key: 'largePeakMb', label: 'worker peak RSS, large', unit: 'MB' },
    { key: 'growth', label: 'peak RSS large / small (same run)', unit: '' },
    { key: 'largeItemsPerS', label: 'large campaign items/s', unit: 'items/s' },
    { key: 'jobKeysLeft', label: 'job hashes left in Redis after completion (large)', unit: '' },
    { key: 'redisKeyBytes', label: "bytes of this run's queue keys left in Redis (large)", unit: 'B' },
    { key: 'usedMemoryDeltaMb', label: 'Redis used_memory after - before (large; whole server)', unit: 'MB' },
  ],
  targets: [
    { label: 'worker peak RSS large / small', key: 'growth', op: '<=', threshold: 1.2 },
    { label: "finished jobs' payloads left in Redis", key: 'jobKeysLeft', op: '==', threshold: 0 },
  ],
  reps: (s) => (s.smoke ? 1 : Number(s.env.BENCH_S5_REPS) || s.reps),
  params: (s) => ({ ...sizes(s), concurrencyPerRole: 16, workerJobConcurrency: 64 }),
  async run(s, rep) {
    const { small, large } = sizes(s);
    const a = await runSize(small, `s5-small-${rep}`);
    const b = await runSize(large, `s5-large-${rep}`);
    return {
      smallItems: small,
      largeItems: large,
      smallPeakMb: a.peakRssMb,
      largePeakMb: b.peakRssMb,
      growth: b.peakRssMb / a.peakRssMb,
      largeItemsPerS: large / b.seconds,
      jobKeysLeft: a.jobKeys + b.jobKeys,
      redisKeyBytes: b.redisBytes,
      usedMemoryDeltaMb: b.usedMemoryDeltaMb,
    };
  },
  notes: (s) => {
    const { small, large } = sizes(s);
    return [
      `sizes ${small} and ${large} items (the issue: 10,000 and 100,000; BENCH_SCALE shrinks them, BENCH_S5_SMALL / BENCH_S5_LARGE set them).`,
      'Redis: keys matching bull:<prefix>-* left after completion, their MEMORY USAGE, and job hashes among them; used_memory is server-wide (the machine is shared).',
    ];
  },
};
