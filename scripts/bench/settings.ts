import { join } from 'node:path';
import { ROOT } from './env';

export interface BenchSettings {
  /** Multiplies every size (items, rows, windows); 1 = the sizes. */
  scale: number;
  reps: number;
  smoke: boolean;
  scenarios: number[];
  out: string;
  /** Directory for `node --cpu-prof` of the scenario-1 worker, or undefined. */
  cpuProfDir: string | undefined;
  /** Node options for scenario 1's worker only (BENCH_WORKER_NODE_ARGS, space-separated): V8 flags tried on tapir alone, not on the baseline. */
  workerNodeArgs: string[];
  env: NodeJS.ProcessEnv;
}

export const ALL_SCENARIOS = [1, 2, 3, 4, 5, 6, 7, 8, 9];
/**
 * What `npm run bench` runs when BENCH_SCENARIOS is unset: all but scenario 9 (`tapir clean` over a
 * million rows takes minutes; BENCH_SCENARIOS=9 runs it). Smoke mode runs every scenario.
 */
export const DEFAULT_SCENARIOS = [1, 2, 3, 4, 5, 6, 7, 8];

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number > 0, got ${JSON.stringify(value)}`);
  return n;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const smoke = env.BENCH_SMOKE === '1' || env.BENCH_SMOKE === 'true';
  const scenarios = env.BENCH_SCENARIOS
    ? env.BENCH_SCENARIOS.split(',').map((s) => Number(s.trim()))
    : smoke
      ? ALL_SCENARIOS
      : DEFAULT_SCENARIOS;
  for (const s of scenarios) if (!ALL_SCENARIOS.includes(s)) throw new Error(`BENCH_SCENARIOS: unknown scenario ${s} (1..${ALL_SCENARIOS.length})`);
  return {
    scale: positive('BENCH_SCALE', env.BENCH_SCALE, 1),
    reps: smoke ? 1 : Math.round(positive('BENCH_REPS', env.BENCH_REPS, 3)),
    smoke,
    scenarios,
    out: env.BENCH_OUT ?? join(ROOT, 'bench', smoke ? 'results-smoke.json' : 'results.json'),
    cpuProfDir: env.BENCH_CPU_PROF || undefined,
    workerNodeArgs: (env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean),
    env,
  };
}

/** A size at the scale, shrunk by BENCH_SCALE, never below `min`; `smoke` in smoke mode. */
export function sized(s: BenchSettings, full: number, smoke: number, min = smoke): number {
  if (s.smoke) return smoke;
  return Math.max(min, Math.round(full * s.scale));
}
