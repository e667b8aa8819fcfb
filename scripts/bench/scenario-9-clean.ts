import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, SAMPLE, startTapir } from './env';
import type { ScenarioDef } from './results';
import { sized, type BenchSettings } from './settings';

const rows = (s: BenchSettings) => sized(s, 1_000_000, 3000, 3000);
/** Every NEAR_EVERY-th row is a planted near-copy of an earlier row; every BENCH_EVERY-th an edited benchmark question. */
const NEAR_EVERY = 50;
const BENCH_EVERY = 1000;
const SHARED = process.env.TAPIR_SHARED_DATA ?? resolve(ROOT, '../shared/data');
const ALPACA_EVAL = join(SHARED, 'alpaca_eval/gpt4.json');

function prng(seed: number) {
  let x = seed >>> 0;
  return (n: number) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return Math.floor((x / 2 ** 32) * n);
  };
}

/** Made-up words: a vocabulary large enough that two generated rows share little by chance. */
const VOCABULARY = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}x`);

export async function benchmarkQuestions(): Promise<string[]> {
  const out: string[] = [];
  for (const name of ['mt-bench', 'vicuna-bench']) {
    const text = await readFile(join(ROOT, 'packages/clean/benchmarks', `${name}.jsonl`), 'utf8');
    for (const l of text.split('\n').filter(Boolean)) out.push((JSON.parse(l) as { instruction: string }).instruction);
  }
  if (existsSync(ALPACA_EVAL)) for (const r of JSON.parse(await readFile(ALPACA_EVAL, 'utf8')) as { instruction: string }[]) out.push(r.instruction);
  return out;
}

/**
 * A pool of `n` instructions: a sample instruction followed by 16 made-up words (distinct rows
 * share little), with a near-copy (one word swapped: Jaccard about 0.86 on word pairs) every 50th
 * row and an edited benchmark question (a word added) every 1000th. Returns the 1-based lines of
 * both kinds of planted row.
 */
export async function writeCleanPool(file: string, n: number, questions: string[]): Promise<{ near: Set<number>; copies: Set<number> }> {
  const base = (await readFile(SAMPLE, 'utf8')).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { instruction: string }).instruction);
  const pick = prng(20261204);
  const out = createWriteStream(file);
  const near = new Set<number>();
  const copies = new Set<number>();
  const recent: string[][] = [];
  let buf = '';
  for (let i = 0; i < n; i++) {
    let instruction: string;
    if (i % BENCH_EVERY === BENCH_EVERY / 2 && questions.length > 0) {
      const words = questions[pick(questions.length)]!.split(' ');
      words.splice(1 + pick(Math.max(1, words.length - 1)), 0, 'really');
      instruction = words.join(' ');
      copies.add(i + 1);
    } else if (i % NEAR_EVERY === NEAR_EVERY - 1 && recent.length > 0) {
      const words = [...recent[pick(recent.length)]!];
      words[words.length - 1 - 1 - pick(words.length - 4)] = VOCABULARY[pick(VOCABULARY.length)]!;
      instruction = words.join(' ');
      near.add(i + 1);
    } else {
      const words = base[pick(base.length)]!.split(' ');
      for (let w = 0; w < 16; w++) words.push(VOCABULARY[pick(VOCABULARY.length)]!);
      recent[i % 40] = words;
      instruction = words.join(' ');
    }
    buf += JSON.stringify({ instruction, input: '' }) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return { near, copies };
}

export const scenario9: ScenarioDef = {
  id: 9,
  title: 'tapir clean (exact + MinHash + n-gram decontamination, child process)',
  figures: [
    { key: 'rows', label: 'rows', unit: '' },
    { key: 'rowsPerS', label: 'rows/s (child wall time, incl. node start-up and benchmark loading)', unit: 'rows/s' },
    { key: 'seconds', label: 'wall time', unit: 's' },
    { key: 'peakRssMb', label: 'peak RSS (VmHWM)', unit: 'MB' },
    { key: 'nearDupRecall', label: 'planted near-duplicates dropped', unit: '' },
    { key: 'contaminationRecall', label: 'planted benchmark copies dropped', unit: '' },
  ],
  targets: [
    { label: 'rows/s', key: 'rowsPerS', op: '>=', threshold: 20_000 },
    { label: 'peak RSS MB', key: 'peakRssMb', op: '<', threshold: 1024 },
    { label: 'near-dup recall', key: 'nearDupRecall', op: '>=', threshold: 0.9 },
  ],
  reps: (s) => s.reps,
  params: (s) => ({ rows: rows(s), nearEvery: NEAR_EVERY, benchmarkEvery: BENCH_EVERY, alpacaEval: existsSync(ALPACA_EVAL) }),
  async run(s) {
    const n = rows(s);
    const dir = await mkdtemp(join(tmpdir(), 'tapir-bench-clean-'));
    try {
      const pool = join(dir, 'pool.jsonl');
      const planted = await writeCleanPool(pool, n, await benchmarkQuestions());
      const cfg = join(dir, 'clean.yaml');
      const benchmarks = ['mt-bench', 'vicuna-bench', ...(existsSync(ALPACA_EVAL) ? [ALPACA_EVAL] : [])];
      await writeFile(
        cfg,
        `models:
  teacher: { provider: openai, model: t, baseURL: http://127.0.0.1:1/v1, apiKeyEnv: TAPIR_BENCH_SIM_KEY }
  student: { provider: openai-compatible, model: s, baseURL: http://127.0.0.1:1/v1 }
  judge: { provider: openai, model: j, baseURL: http://127.0.0.1:1/v1, apiKeyEnv: TAPIR_BENCH_SIM_KEY }
clean:
  decontaminate: { benchmarks: [${benchmarks.join(', ')}] }
`,
      );
      const out = join(dir, 'out');
      const t0 = performance.now();
      const child = startTapir({ ...process.env, TAPIR_BENCH_SIM_KEY: 'k' }, ['clean', '--config', cfg, '--data', pool, '--out', out]);
      const code = await child.exit;
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) throw new Error(`tapir clean exited ${code}:\n${child.stderr()}`);
      let nearFound = 0;
      let copiesFound = 0;
      for await (const line of createInterface({ input: createReadStream(join(out, 'dropped.jsonl')) })) {
        const d = JSON.parse(line) as { reason: string; source: { line: number } };
        if (planted.near.has(d.source.line) && (d.reason === 'near-duplicate' || d.reason === 'duplicate')) nearFound++;
        if (planted.copies.has(d.source.line) && d.reason === 'contaminated') copiesFound++;
      }
      await stat(join(out, 'report.json'));
      return {
        rows: n,
        rowsPerS: n / seconds,
        seconds,
        peakRssMb: child.peakRssKb() / 1024,
        nearDupRecall: nearFound / Math.max(1, planted.near.size),
        contaminationRecall: copiesFound / Math.max(1, planted.copies.size),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  notes: () => [
    'generated Alpaca JSONL: a sample instruction plus 16 made-up words per row, a near-copy (one word swapped) every 50th row, a benchmark question with a word added every 1000th; benchmarks: bundled MT-Bench and Vicuna bench, and AlpacaEval from ../shared/data when present.',
  ],
};
