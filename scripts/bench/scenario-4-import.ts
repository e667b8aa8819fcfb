import { sql } from 'drizzle-orm';
import { configYaml, createBenchEnv, removePool, scalar, startTapir, writeConfigFile, writePool } from './env';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ScenarioDef } from './results';
import { sized, type BenchSettings } from './settings';

const lines = (s: BenchSettings) => sized(s, 1_000_000, 2000, 2000);

/** The figures and targets of an import scenario (4: JSONL, 7: Parquet). */
export const IMPORT_FIGURES: ScenarioDef['figures'] = [
  { key: 'rows', label: 'rows', unit: '' },
  { key: 'fileMb', label: 'file size', unit: 'MB' },
  { key: 'rowsPerS', label: 'rows/s (child wall time, incl. node start-up)', unit: 'rows/s' },
  { key: 'seconds', label: 'wall time', unit: 's' },
  { key: 'peakRssMb', label: 'peak RSS (VmHWM)', unit: 'MB' },
];
export const IMPORT_TARGETS: ScenarioDef['targets'] = [
  { label: 'rows/s', key: 'rowsPerS', op: '>=', threshold: 50_000 },
  { label: 'peak RSS MB', key: 'peakRssMb', op: '<', threshold: 300 },
];

/**
 * Imports `pool` (n rows) with `tapir campaign create` in a child process against a migrated
 * database and times it; the pool's folder and the config are removed afterwards.
 */
export async function timeImport(pool: string, n: number): Promise<Record<string, number>> {
  const env = await createBenchEnv({});
  const cfg = await writeConfigFile(configYaml(env.sim.url));
  try {
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(pool));
    // The database exists and is migrated (createBenchEnv): the child only imports.
    const t0 = performance.now();
    const child = startTapir({ ...env.childEnv, TAPIR_LOG_LEVEL: 'warn' }, ['campaign', 'create', '--config', cfg, '--data', pool]);
    const code = await child.exit;
    const seconds = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`tapir campaign create exited ${code}:\n${child.stderr()}`);
    const id = /campaign (\S+)\s*$/.exec(child.stdout().trim())?.[1];
    const imported = await scalar(env, sql`select count(*) as n from items where campaign_id = ${id ?? ''}`);
    if (imported !== n) throw new Error(`imported ${imported} rows of ${n}`);
    return { rows: n, fileMb: size / 2 ** 20, rowsPerS: n / seconds, seconds, peakRssMb: child.peakRssKb() / 1024 };
  } finally {
    await removePool(pool);
    await rm(dirname(cfg), { recursive: true, force: true });
    await env.close();
  }
}

export const scenario4: ScenarioDef = {
  id: 4,
  title: 'Import (tapir campaign create, child process)',
  figures: IMPORT_FIGURES,
  targets: IMPORT_TARGETS,
  reps: (s) => s.reps,
  params: (s) => ({ rows: lines(s) }),
  async run(s, rep) {
    const n = lines(s);
    return timeImport(await writePool(n, { tag: `s4-${rep}` }), n);
  },
  notes: () => ['generated Alpaca JSONL of distinct instructions (the bundled sample with variant suffixes); the database is created and migrated beforehand.'],
};
