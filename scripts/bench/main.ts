/**
 * `npm run bench`: runs the selected scenarios against the local PostgreSQL, Redis and the
 * simulator, each BENCH_REPS times (medians), prints a markdown table and writes the same figures
 * to bench/results.json. Knobs: BENCH_SCENARIOS=1,2,..., BENCH_SCALE (sizes), BENCH_REPS,
 * BENCH_SMOKE=1 (tiny sizes, 1 rep), BENCH_OUT (results file), BENCH_CPU_PROF=DIR (profile the
 * scenario-1 worker), BENCH_WORKER_NODE_ARGS (Node/V8 options for that worker only), and the
 * per-scenario knobs named in the output.
 */
import { checkTarget, machineInfo, markdown, median, writeResults, type ScenarioDef, type ScenarioResult } from './results';
import { scenario1, scenario6 } from './scenario-1-overhead';
import { scenario2 } from './scenario-2-latency';
import { scenario3 } from './scenario-3-rate-limits';
import { scenario4 } from './scenario-4-import';
import { scenario5 } from './scenario-5-memory';
import { scenario7 } from './scenario-7-parquet';
import { scenario8 } from './scenario-8-parquet-import';
import { scenario9 } from './scenario-9-clean';
import { readSettings, type BenchSettings } from './settings';

const SCENARIOS: ScenarioDef[] = [scenario1, scenario2, scenario3, scenario4, scenario5, scenario6, scenario7, scenario8, scenario9];

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

export async function runScenario(def: ScenarioDef, s: BenchSettings): Promise<ScenarioResult> {
  const reps = def.reps(s);
  const started = performance.now();
  const perRep: Record<string, number>[] = [];
  let error: string | undefined;
  for (let rep = 0; rep < reps; rep++) {
    log(`scenario ${def.id} (${def.title}) rep ${rep + 1}/${reps}`);
    try {
      const figures = await def.run(s, rep);
      perRep.push(figures);
      log(`  ${Object.entries(figures).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(3)}`).join(' ')}`);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      log(`  failed: ${error}`);
      break;
    }
  }
  const figures = def.figures.map((f) => {
    const values = perRep.map((r) => r[f.key]).filter((v): v is number => v !== undefined);
    return { ...f, values, median: median(values) };
  });
  const targets = def.targets.map((t) => {
    const value = figures.find((f) => f.key === t.key)?.median ?? null;
    return { ...t, value, met: error === undefined && checkTarget(t, value) };
  });
  const notes = def.notes?.(s) ?? [];
  if (perRep.length < 3 && !s.smoke) notes.push(`only ${perRep.length} repetition(s): fewer than the 3 the issue asks for.`);
  return {
    id: def.id,
    title: def.title,
    reps: perRep.length,
    params: def.params(s),
    figures,
    targets,
    notes,
    ...(error !== undefined ? { error } : {}),
    seconds: (performance.now() - started) / 1000,
  };
}

export async function main(): Promise<number> {
  const s = readSettings();
  const machine = await machineInfo();
  const results: ScenarioResult[] = [];
  const startedAt = new Date().toISOString();
  // Scenario 6 reuses scenario 1's runs when both are selected, so it runs after 1.
  for (const def of SCENARIOS.filter((d) => s.scenarios.includes(d.id))) results.push(await runScenario(def, s));
  results.sort((a, b) => a.id - b.id);
  const payload = {
    startedAt,
    finishedAt: new Date().toISOString(),
    settings: { scale: s.scale, reps: s.reps, smoke: s.smoke, scenarios: s.scenarios },
    machine,
    scenarios: results,
  };
  await writeResults(s.out, payload);
  process.stdout.write(markdown(results, machine, s) + `\n\nwritten to ${s.out}\n`);
  return results.some((r) => r.error) ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
