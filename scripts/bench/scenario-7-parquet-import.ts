import { rm, stat } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql } from 'drizzle-orm';
import { configYaml, createBenchEnv, scalar, startTapir, writeConfigFile } from './env';
import type { ScenarioDef } from './results';
import { sized, type BenchSettings } from './settings';

const rows = (s: BenchSettings) => sized(s, 1_000_000, 2000, 2000);
/** Rows per row group: what the reader holds at once. pyarrow's default is 1M rows, HF's converter writes smaller groups; 100,000 is the figure documented. */
const ROW_GROUP = 100_000;

/** A Parquet pool in the shape HF instruction sets are published in (instruction, input, output), written by hyparquet-writer. */
async function writeParquetPool(n: number, tag: string): Promise<string> {
  const { parquetWriteFile } = await import('hyparquet-writer');
  const dir = await mkdtemp(join(tmpdir(), 'tapir-bench-parquet-'));
  const file = join(dir, 'pool.parquet');
  const instruction = new Array<string>(n);
  const input = new Array<string>(n);
  const output = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    instruction[i] = `Explain step ${i % 97} of task ${i} in plain words, as a teacher would to a new student [${tag}].`;
    input[i] = i % 3 === 0 ? `context for item ${i}` : '';
    output[i] = `A worked answer for item ${i}.`;
  }
  parquetWriteFile({
    filename: file,
    columnData: [
      { name: 'instruction', data: instruction, type: 'STRING' },
      { name: 'input', data: input, type: 'STRING' },
      { name: 'output', data: output, type: 'STRING' },
    ],
    rowGroupSize: ROW_GROUP,
  });
  return file;
}

export const scenario7: ScenarioDef = {
  id: 7,
  title: 'Parquet import (tapir campaign create, child process)',
  figures: [
    { key: 'rows', label: 'rows', unit: '' },
    { key: 'fileMb', label: 'file size', unit: 'MB' },
    { key: 'rowsPerS', label: 'rows/s (child wall time, incl. node start-up)', unit: 'rows/s' },
    { key: 'seconds', label: 'wall time', unit: 's' },
    { key: 'peakRssMb', label: 'peak RSS (VmHWM)', unit: 'MB' },
  ],
  targets: [
    { label: 'rows/s', key: 'rowsPerS', op: '>=', threshold: 50_000 },
    { label: 'peak RSS MB', key: 'peakRssMb', op: '<', threshold: 300 },
  ],
  reps: (s) => s.reps,
  params: (s) => ({ rows: rows(s), rowGroup: ROW_GROUP }),
  async run(s, rep) {
    const n = rows(s);
    const env = await createBenchEnv({});
    const pool = await writeParquetPool(n, `s7-${rep}`);
    const cfg = await writeConfigFile(configYaml(env.sim.url));
    try {
      const { size } = await stat(pool);
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
      await rm(dirname(pool), { recursive: true, force: true });
      await rm(dirname(cfg), { recursive: true, force: true });
      await env.close();
    }
  },
  notes: () => [`generated Parquet (instruction, input, output; snappy; ${ROW_GROUP.toLocaleString('en')} rows per row group) of distinct instructions, read a row group at a time; the database is created and migrated beforehand.`],
};
