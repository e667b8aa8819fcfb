import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatExportRow, JsonlWriter, parquetLayout, writeParquetStages } from '@tapir/formats';
import type { ScenarioDef } from './results';
import { sized, type BenchSettings } from './settings';

const rows = (s: BenchSettings) => sized(s, 100_000, 2000, 2000);

const WORDS = 'the of and to in is was for on that with as by at from his her it an be this which or are'.split(' ');

/** Text that compresses like prose, not like a repeated pattern: words drawn by a fixed LCG. */
function prose(state: { seed: number }, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    state.seed = (state.seed * 1103515245 + 12345) % 2147483648;
    out.push(WORDS[state.seed % WORDS.length]! + String(state.seed % 7));
  }
  return out.join(' ');
}

export const scenario7: ScenarioDef = {
  id: 7,
  title: 'Parquet copy of a stage (tapir export --parquet, worker thread)',
  figures: [
    { key: 'rows', label: 'rows', unit: '' },
    { key: 'jsonlMb', label: 'stage JSONL', unit: 'MB' },
    { key: 'parquetMb', label: 'Parquet', unit: 'MB' },
    { key: 'rowsPerS', label: 'rows/s', unit: 'rows/s' },
    { key: 'seconds', label: 'wall time', unit: 's' },
    { key: 'peakRssMb', label: 'peak RSS of the process (maxRSS)', unit: 'MB' },
  ],
  targets: [],
  reps: (s) => s.reps,
  params: (s) => ({ rows: rows(s) }),
  async run(s) {
    const n = rows(s);
    const dir = await mkdtemp(join(tmpdir(), 'tapir-bench-parquet-'));
    try {
      const file = join(dir, 'stage-1.jsonl');
      const writer = new JsonlWriter(file);
      const state = { seed: 42 };
      for (let i = 0; i < n; i++) {
        await writer.write(
          formatExportRow('openai', { id: `c:r1:s1:${i}:0`, instruction: prose(state, 40), input: '', output: prose(state, 160), category: 'Math', stage: 1, mfd: (i % 100) / 10, itemId: i }),
        );
      }
      await writer.close();
      const t0 = performance.now();
      const [written] = await writeParquetStages([file], parquetLayout({ format: 'openai', bare: false, scores: ['mfd'] }));
      const seconds = (performance.now() - t0) / 1000;
      if (written?.rows !== n) throw new Error(`Parquet holds ${written?.rows} rows of ${n}`);
      return {
        rows: n,
        jsonlMb: (await stat(file)).size / 2 ** 20,
        parquetMb: written.bytes / 2 ** 20,
        rowsPerS: n / seconds,
        seconds,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  notes: () => [
    'OpenAI rows of about 1 KB (40 + 160 generated words); the stage file is written first (streaming) and only the copy is timed. peak RSS is the whole bench process, worker thread included, at its highest so far in the run.',
  ],
};
