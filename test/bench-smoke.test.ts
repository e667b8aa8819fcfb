import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The benchmark harness (scripts/bench, `npm run bench`) in smoke mode: tiny sizes, one
 * repetition, every scenario. The figures mean nothing at these sizes; the test only checks that
 * every scenario ran and produced every figure, so the harness cannot rot unnoticed.
 */
const ROOT = resolve(__dirname, '..');

interface Result {
  scenarios: { id: number; error?: string; figures: { key: string; median: number | null; values: number[] }[]; targets: { key: string; value: number | null }[] }[];
  machine: Record<string, unknown>;
}

test('npm run bench in smoke mode produces every figure of every scenario', () => {
  // `npm test` builds the packages (tsc -b); the harness has its own small project.
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'scripts/bench')], { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'tapir-bench-smoke-'));
  const out = join(dir, 'results.json');
  const run = spawnSync(process.execPath, [join(ROOT, 'dist-bench/main.js')], {
    cwd: ROOT,
    env: { ...process.env, BENCH_SMOKE: '1', BENCH_OUT: out, BENCH_SCENARIOS: '' },
    encoding: 'utf8',
    // Nine scenarios since issues 15-17, each at smoke size; a busy 2-core CI machine needs the room.
    timeout: 240_000,
  });
  if (run.status !== 0) process.stderr.write(`${run.stdout}\n${run.stderr}\n`);
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('| # | target | measured (median) | met | reps |');
  const result = JSON.parse(readFileSync(out, 'utf8')) as Result;
  rmSync(dir, { recursive: true, force: true });
  expect(result.scenarios.map((s) => s.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (const key of ['cpuModel', 'cores', 'memoryMb', 'node', 'postgres', 'redis']) expect(result.machine[key]).toBeDefined();
  for (const s of result.scenarios) {
    expect({ id: s.id, error: s.error }).toEqual({ id: s.id, error: undefined });
    for (const f of s.figures) {
      expect({ scenario: s.id, figure: f.key, finite: Number.isFinite(f.median) }).toEqual({ scenario: s.id, figure: f.key, finite: true });
    }
    for (const t of s.targets) expect(Number.isFinite(t.value)).toBe(true);
  }
}, 150_000);
