import { createCampaign } from '@tapir/pipeline';
import { sql } from 'drizzle-orm';
import { benchConfig, createBenchEnv, removePool, scalar, sleep, startCampaign, writePool, type BenchEnv } from './env';
import type { ScenarioDef } from './results';
import { sized, type BenchSettings } from './settings';

const LATENCY_MS = 300;
const JITTER_MS = 50;
const C = 16;

const items = (s: BenchSettings) => sized(s, 600, 64, 64);

interface RoleRate {
  n: number;
  reqPerS: number;
  meanLatencyMs: number;
}

/**
 * Completion rate of a role's requests while it has work: (n - 1) / (last completion - first
 * completion). Ledger rows are opened before a request waits for its role's slot, so their
 * creation times say when a job got there, not when the request left; completions do not lie.
 */
async function roleRate(env: BenchEnv, campaignId: string, role: string): Promise<RoleRate> {
  const r = await env.pipeline.services.db.execute<{ n: string; span: number | null; lat: number | null }>(sql`
    select count(*) as n,
           extract(epoch from max(completed_at) - min(completed_at))::float8 as span,
           avg(latency_ms)::float8 as lat
      from llm_calls where campaign_id = ${campaignId} and role = ${role} and status = 'completed'`);
  const row = r.rows[0]!;
  const n = Number(row.n);
  return { n, reqPerS: row.span ? (n - 1) / row.span : 0, meanLatencyMs: row.lat ?? 0 };
}

export const scenario2: ScenarioDef = {
  id: 2,
  title: `Latency-bound efficiency (sim ${LATENCY_MS} +/- ${JITTER_MS} ms, C = ${C})`,
  figures: [
    { key: 'studentReqPerS', label: 'student requests/s while it has work', unit: 'req/s' },
    { key: 'limit', label: "Little's-law limit C / latency", unit: 'req/s' },
    { key: 'efficiency', label: 'student requests/s / limit', unit: '' },
    { key: 'teacherEfficiency', label: 'teacher requests/s / limit', unit: '' },
    { key: 'meanLatencyMs', label: 'student mean request latency seen by tapir', unit: 'ms' },
    { key: 'inFlight', label: 'student requests in flight (rate x mean latency)', unit: '' },
  ],
  targets: [{ label: 'student requests/s / (C / latency)', key: 'efficiency', op: '>=', threshold: 0.95 }],
  reps: (s) => s.reps,
  params: (s) => ({ items: items(s), latencyMs: LATENCY_MS, jitterMs: JITTER_MS, concurrencyPerRole: C }),
  async run(s) {
    const n = items(s);
    const env = await createBenchEnv({ latencyMs: LATENCY_MS, jitterMs: JITTER_MS });
    const pool = await writePool(n, { tag: 's2' });
    try {
      const config = benchConfig(env.sim.url, { concurrency: C });
      const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile: pool });
      const worker = await env.startWorker();
      await startCampaign(env, campaignId);
      // Only the answer phase is measured: stop once every answer is in.
      const started = Date.now();
      for (;;) {
        const done = await scalar(env, sql`select count(*) as n from answers where campaign_id = ${campaignId} and kind in ('teacher', 'student')`);
        if (done >= 2 * n) break;
        if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.stderr()}`);
        if (Date.now() - started > 600_000) throw new Error('answers not done within 600 s');
        await sleep(200);
      }
      await worker.stop('SIGKILL');
      const student = await roleRate(env, campaignId, 'student');
      const teacher = await roleRate(env, campaignId, 'teacher');
      const limit = C / (LATENCY_MS / 1000);
      return {
        studentReqPerS: student.reqPerS,
        limit,
        efficiency: student.reqPerS / limit,
        teacherEfficiency: teacher.reqPerS / limit,
        meanLatencyMs: student.meanLatencyMs,
        inFlight: (student.reqPerS * student.meanLatencyMs) / 1000,
      };
    } finally {
      await removePool(pool);
      await env.close();
    }
  },
  notes: () => [
    'rate = (n - 1) / (last send - first send) of the role\'s ledger rows: the phase where its queue is not empty; limit uses the nominal 300 ms (jitter is symmetric).',
  ],
};
