import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Pool } from 'pg';
import { sql } from 'drizzle-orm';
import { parseCampaignConfig, type CampaignConfig } from '@tapir/core';
import type { SimulatorOptions, SimulatorStats } from '@tapir/llm-sim';
import { openPipeline, reconcileCampaign, silentLogger, type Pipeline } from '@tapir/pipeline';
import { transition, transitionSources } from '@tapir/db';

/** dist-bench/ sits at the repository root. */
export const ROOT = resolve(__dirname, '..');
export const TAPIR = join(ROOT, 'apps/cli/bin/tapir.js');
export const SAMPLE = join(ROOT, 'samples/seed-pool.jsonl');
const SIM_CHILD = join(__dirname, 'sim-child.js');
const HWM_PRELOAD = join(__dirname, 'hwm-preload.js');

export const ADMIN_DATABASE_URL = process.env.TAPIR_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SIM_KEY = 'sim-bench-key';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A running simulator child process. */
export interface SimProcess {
  url: string;
  child: ChildProcess;
  stats(): Promise<SimulatorStats>;
  configure(patch: Partial<SimulatorOptions>): Promise<void>;
  close(): Promise<void>;
}

export async function startSimProcess(options: SimulatorOptions): Promise<SimProcess> {
  const child = spawn(process.execPath, [SIM_CHILD, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([l]) => String(l)),
    once(child, 'exit').then(() => {
      throw new Error('simulator process exited before listening');
    }),
  ]);
  const { url } = JSON.parse(first) as { url: string };
  const exited = once(child, 'exit');
  return {
    url,
    child,
    async stats() {
      const res = await fetch(`${url}/sim/stats`);
      return (await res.json()) as SimulatorStats;
    },
    async configure(patch) {
      const res = await fetch(`${url}/sim/config`, { method: 'POST', body: JSON.stringify(patch), headers: { 'content-type': 'application/json' } });
      if (!res.ok) throw new Error(`sim configure failed: ${await res.text()}`);
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(3000)]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
  };
}

/** A child `tapir` process whose peak RSS is known exactly (preload hook) and sampled (/proc). */
export interface TapirChild {
  child: ChildProcess;
  exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** Largest VmHWM seen so far (kB), including the exit hook's final value once it exited. */
  peakRssKb(): number;
  /** SIGTERM (graceful, lets in-flight jobs finish) or SIGKILL; resolves on exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function readHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export function startTapir(env: NodeJS.ProcessEnv, args: string[], opts: { nodeArgs?: string[] } = {}): TapirChild {
  const hwmFile = join(tmpdir(), `tapir-bench-hwm-${randomBytes(6).toString('hex')}`);
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '-r', HWM_PRELOAD, TAPIR, ...args], {
    env: { ...env, BENCH_HWM_FILE: hwmFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-20_000)));
  let peak = 0;
  const timer = setInterval(() => {
    if (child.pid) peak = Math.max(peak, readHwmKb(child.pid));
  }, 50);
  const exit = new Promise<number | null>((done) =>
    child.on('exit', (code) => {
      clearInterval(timer);
      try {
        if (existsSync(hwmFile)) peak = Math.max(peak, Number(readFileSync(hwmFile, 'utf8')) || 0);
      } catch {
        // keep the sampled peak
      }
      void rm(hwmFile, { force: true });
      done(code);
    }),
  );
  return {
    child,
    exit,
    stdout: () => out,
    stderr: () => err,
    peakRssKb: () => peak,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exit;
    },
  };
}

/** A fresh database, queue prefix and simulator process per scenario repetition. */
export interface BenchEnv {
  databaseUrl: string;
  queuePrefix: string;
  sim: SimProcess;
  pipeline: Pipeline;
  childEnv: NodeJS.ProcessEnv;
  /** A standalone `tapir worker`, ready (it logged 'worker started') when this resolves. */
  startWorker(opts?: { concurrency?: number; nodeArgs?: string[] }): Promise<TapirChild>;
  close(): Promise<void>;
}

export async function createBenchEnv(simOptions: SimulatorOptions): Promise<BenchEnv> {
  const suffix = randomBytes(5).toString('hex');
  const dbName = `tapir_bench_${suffix}`;
  const databaseUrl = ADMIN_DATABASE_URL.replace(/\/[^/]*$/, `/${dbName}`);
  const queuePrefix = `tapirbench${suffix}`;
  process.env.TAPIR_BENCH_SIM_KEY = SIM_KEY;
  const sim = await startSimProcess({ seed: 1, ...simOptions });
  const pipeline = await openPipeline({ databaseUrl, redisUrl: REDIS_URL, queuePrefix, logger: silentLogger });
  const children: TapirChild[] = [];
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    TAPIR_QUEUE_PREFIX: queuePrefix,
    TAPIR_BENCH_SIM_KEY: SIM_KEY,
  };
  return {
    databaseUrl,
    queuePrefix,
    sim,
    pipeline,
    childEnv,
    async startWorker(opts = {}) {
      const worker = startTapir({ ...childEnv, TAPIR_LOG_LEVEL: 'info' }, ['worker', '--concurrency', String(opts.concurrency ?? 64)], {
        ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
      });
      children.push(worker);
      const started = Date.now();
      while (!worker.stderr().includes('worker started')) {
        if (worker.child.exitCode !== null) throw new Error(`tapir worker exited early:\n${worker.stderr()}`);
        if (Date.now() - started > 30_000) throw new Error('tapir worker did not start within 30 s');
        await sleep(20);
      }
      return worker;
    },
    async close() {
      await Promise.all(children.map((c) => c.stop('SIGKILL')));
      await Promise.all(pipeline.services.queues.all().map((q) => q.obliterate({ force: true }).catch(() => undefined)));
      await pipeline.close();
      await sim.close();
      const admin = new Pool({ connectionString: ADMIN_DATABASE_URL, max: 1 });
      await admin.query(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
      await admin.end();
    },
  };
}

export interface ConfigOptions {
  concurrency?: number;
  teacherRpm?: number;
}

export function configYaml(simUrl: string, opts: ConfigOptions = {}): string {
  const c = opts.concurrency ?? 16;
  const rl = opts.teacherRpm ? `, rateLimit: { rpm: ${opts.teacherRpm} }` : '';
  return `
name: bench
seed: 7
models:
  teacher: { provider: openai, model: sim-teacher, baseURL: ${simUrl}/v1, apiKeyEnv: TAPIR_BENCH_SIM_KEY, concurrency: ${c}${rl} }
  student: { provider: openai-compatible, model: sim-student, baseURL: ${simUrl}/v1, concurrency: ${c} }
  judge: { provider: anthropic, model: sim-judge, baseURL: ${simUrl}, apiKeyEnv: TAPIR_BENCH_SIM_KEY, concurrency: ${c} }
# writePool repeats the sample with "(variant N)" suffixes: near-duplicates by construction, kept here.
clean: { dedup: { near: false } }
`;
}

export function benchConfig(simUrl: string, opts: ConfigOptions = {}): CampaignConfig {
  return parseCampaignConfig(configYaml(simUrl, opts), 'bench.yaml');
}

export interface PoolOptions {
  /** Every row carries a taxonomy category (no classify call). */
  withCategory?: boolean;
  /** Every row carries a student answer (no answer-student call). */
  withStudentAnswer?: boolean;
  /** Makes instructions distinct from other pools' (no ledger hits across pools). */
  tag?: string;
}

let sampleRows: { instruction: string; input?: string; output?: string }[] | undefined;
async function samples() {
  sampleRows ??= (await readFile(SAMPLE, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { instruction: string; input?: string; output?: string });
  return sampleRows;
}

const CATEGORIES = ['Math', 'Reasoning', 'Code Generation', 'Code Debug', 'Others'];

/** The bundled sample, repeated with a variant suffix: `size` distinct instructions, streamed to a temp file. */
export async function writePool(size: number, opts: PoolOptions = {}): Promise<string> {
  const rows = await samples();
  const dir = await mkdtemp(join(tmpdir(), 'tapir-bench-'));
  const file = join(dir, 'pool.jsonl');
  const out = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < size; i++) {
    const base = rows[i % rows.length]!;
    const variant = Math.floor(i / rows.length);
    const row: Record<string, string> = {
      instruction: `${base.instruction}${variant > 0 ? ` (variant ${variant})` : ''}${opts.tag ? ` [${opts.tag}]` : ''}`,
      input: base.input ?? '',
      output: base.output ?? '',
    };
    if (opts.withCategory) row.category = CATEGORIES[i % CATEGORIES.length]!;
    if (opts.withStudentAnswer) row.student_output = `A short student answer to item ${i}.`;
    buf += JSON.stringify(row) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return file;
}

export async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file)) for (const b of chunk as Buffer) if (b === 10) n++;
  return n;
}

export async function removePool(file: string): Promise<void> {
  await rm(resolve(file, '..'), { recursive: true, force: true });
}

export async function writeConfigFile(yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tapir-bench-cfg-'));
  const file = join(dir, 'bench.yaml');
  await writeFile(file, yaml);
  return file;
}

/** What `tapir run` does before its workers start: mark it running and enqueue what is due. */
export async function startCampaign(env: BenchEnv, campaignId: string): Promise<void> {
  await transition(env.pipeline.services.db, campaignId, transitionSources('run', 'running'), 'running');
  await reconcileCampaign(env.pipeline.services, campaignId);
}

const polls = new Map<string, number>();
/** Queries waitCompleted issued for a campaign (subtracted from PostgreSQL counters). */
export function pollCount(campaignId: string): number {
  return polls.get(campaignId) ?? 0;
}

/** Polls PostgreSQL until the campaign is completed; returns the wall time at completion (ms). */
export async function waitCompleted(env: BenchEnv, campaignId: string, timeoutMs: number, worker?: TapirChild): Promise<number> {
  const started = Date.now();
  for (;;) {
    polls.set(campaignId, (polls.get(campaignId) ?? 0) + 1);
    const r = await env.pipeline.services.db.execute<{ status: string; message: string | null }>(
      sql`select status, message from campaigns where id = ${campaignId}`,
    );
    const row = r.rows[0];
    if (row?.status === 'completed') return Date.now();
    if (row && ['failed', 'cancelled', 'paused'].includes(row.status)) {
      throw new Error(`campaign ${campaignId} ended ${row.status}: ${row.message ?? ''}`);
    }
    if (worker && worker.child.exitCode !== null) throw new Error(`worker exited (${worker.child.exitCode}):\n${worker.stderr()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`campaign ${campaignId} not completed within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

export async function scalar(env: BenchEnv, query: ReturnType<typeof sql>): Promise<number> {
  const r = await env.pipeline.services.db.execute<{ n: string | number | null }>(query);
  return Number(r.rows[0]?.n ?? 0);
}
