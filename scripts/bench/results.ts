import { cpus, totalmem } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Pool } from 'pg';
import { Redis } from 'ioredis';
import { ADMIN_DATABASE_URL, REDIS_URL } from './env';
import type { BenchSettings } from './settings';

/** One measured quantity of a scenario; `values` holds one figure per repetition. */
export interface FigureSpec {
  key: string;
  label: string;
  unit: string;
}

export interface TargetSpec {
  label: string;
  key: string;
  op: '>=' | '<=' | '<' | '==';
  threshold: number;
}

export interface ScenarioDef {
  id: number;
  title: string;
  figures: FigureSpec[];
  targets: TargetSpec[];
  /** How many repetitions this scenario runs (some are long; see notes). */
  reps(s: BenchSettings): number;
  /** Parameters of the run as executed (sizes, latencies...), recorded in the JSON. */
  params(s: BenchSettings): Record<string, unknown>;
  /** One repetition: figures keyed by FigureSpec.key. */
  run(s: BenchSettings, rep: number): Promise<Record<string, number>>;
  notes?(s: BenchSettings): string[];
}

export interface FigureResult extends FigureSpec {
  median: number | null;
  values: number[];
}

export interface TargetResult extends TargetSpec {
  value: number | null;
  met: boolean;
}

export interface ScenarioResult {
  id: number;
  title: string;
  reps: number;
  params: Record<string, unknown>;
  figures: FigureResult[];
  targets: TargetResult[];
  notes: string[];
  error?: string;
  seconds: number;
}

export function median(values: number[]): number | null {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

export function checkTarget(t: TargetSpec, value: number | null): boolean {
  if (value === null) return false;
  switch (t.op) {
    case '>=':
      return value >= t.threshold;
    case '<=':
      return value <= t.threshold;
    case '<':
      return value < t.threshold;
    case '==':
      return value === t.threshold;
  }
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryMb: number;
  node: string;
  postgres: string;
  redis: string;
  platform: string;
}

export async function machineInfo(): Promise<MachineInfo> {
  const pg = new Pool({ connectionString: ADMIN_DATABASE_URL, max: 1 });
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    const version = await pg.query<{ server_version: string }>('show server_version');
    await redis.connect();
    const info = await redis.info('server');
    return {
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      postgres: version.rows[0]?.server_version ?? 'unknown',
      redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
      platform: `${process.platform} ${process.arch}`,
    };
  } finally {
    await pg.end();
    redis.disconnect();
  }
}

function fmt(v: number | null, unit = ''): string {
  if (v === null) return 'n/a';
  const abs = Math.abs(v);
  const n = abs >= 1000 ? v.toFixed(0) : abs >= 100 ? v.toFixed(1) : abs >= 1 ? v.toFixed(2) : v.toFixed(3);
  return unit ? `${n} ${unit}` : n;
}

export function markdown(results: ScenarioResult[], machine: MachineInfo, s: BenchSettings): string {
  const lines: string[] = [];
  lines.push(
    `tapir benchmark - ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryMb} MB, node ${machine.node}, ` +
      `PostgreSQL ${machine.postgres}, Redis ${machine.redis}`,
  );
  lines.push(`BENCH_SCALE=${s.scale}${s.smoke ? ' (smoke mode: tiny sizes, 1 rep - figures are not meaningful)' : ''}; medians over the reps shown`);
  lines.push('');
  lines.push('| # | target | measured (median) | met | reps |');
  lines.push('|---|---|---|---|---|');
  for (const r of results) {
    if (r.error) lines.push(`| ${r.id} | ${r.title}: **error** | ${r.error.split('\n')[0]} | no | ${r.reps} |`);
    for (const t of r.targets) {
      lines.push(`| ${r.id} | ${t.label} (${t.op} ${t.threshold}) | ${fmt(t.value)} | ${t.met ? 'yes' : '**no**'} | ${r.reps} |`);
    }
  }
  lines.push('');
  lines.push('| # | scenario | figure | median | values |');
  lines.push('|---|---|---|---|---|');
  for (const r of results) {
    for (const f of r.figures) {
      lines.push(`| ${r.id} | ${r.title} | ${f.label} | ${fmt(f.median, f.unit)} | ${f.values.map((v) => fmt(v)).join(', ')} |`);
    }
  }
  const notes = results.flatMap((r) => r.notes.map((n) => `- (${r.id}) ${n}`));
  if (notes.length > 0) lines.push('', ...notes);
  return lines.join('\n');
}

export async function writeResults(file: string, payload: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(payload, null, 2) + '\n');
}
