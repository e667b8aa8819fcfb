import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioDef } from './results';
import { IMPORT_FIGURES, IMPORT_TARGETS, timeImport } from './scenario-4-import';
import { sized, type BenchSettings } from './settings';

const rows = (s: BenchSettings) => sized(s, 1_000_000, 2000, 2000);
/** Rows per row group, hyparquet-writer's own default cap (its pages are 1 MB): pyarrow's default is 1M rows, HF's converter writes smaller groups. The reader slices groups, so this sets what it reads at once no longer. */
const ROW_GROUP = 100_000;

/** A Parquet pool in the shape HF instruction sets are published in (instruction, input, output), written by hyparquet-writer. */
export async function writeParquetPool(n: number, tag: string, rowGroupSize = ROW_GROUP): Promise<string> {
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
    rowGroupSize,
  });
  return file;
}

export const scenario8: ScenarioDef = {
  id: 8,
  title: 'Parquet import (tapir campaign create, child process)',
  figures: IMPORT_FIGURES,
  targets: IMPORT_TARGETS,
  reps: (s) => s.reps,
  params: (s) => ({ rows: rows(s), rowGroup: ROW_GROUP }),
  async run(s, rep) {
    const n = rows(s);
    return timeImport(await writeParquetPool(n, `s7-${rep}`), n);
  },
  notes: () => [`generated Parquet (instruction, input, output; snappy; ${ROW_GROUP.toLocaleString('en')} rows per row group) of distinct instructions, each column read in page-aligned windows of about 2 MB of column data (DEFAULT_SLICE_POLICY); the database is created and migrated beforehand.`],
};
