import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanConfigSchema } from '@tapir/core';
import { cleanFiles } from '../src/clean-files';

/**
 * `tapir clean` analyses rows on worker threads and decides duplicates on the reading thread: the
 * files it writes must be byte for byte those of cleaning on one thread, drops and twins included.
 * The pool is larger than a few analysis batches, so the worker threads are really used.
 */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

const WORDS = Array.from({ length: 3000 }, (_, i) => `word${i.toString(36)}`);
const TEMPLATES = ['Explain to a new student, step by step, why', 'Write a short poem about', 'Summarise in two sentences the idea that', 'List three facts about'];

interface Row {
  instruction: string;
  input: string;
  output?: string;
}

async function writePool(file: string, benchmarkQuestions: string[]): Promise<Row[]> {
  const pick = rng(2026);
  const rows: Row[] = [];
  for (let i = 0; i < 6000; i++) {
    let row: Row;
    if (i % 10 === 9) {
      // A near-copy of a recent row, one word swapped; every third one comes with an answer.
      const source = rows[i - 1 - pick(8)]!;
      const words = source.instruction.split(' ');
      words[words.length - 2] = WORDS[pick(WORDS.length)]!;
      row = { instruction: words.join(' '), input: source.input, ...(i % 30 === 29 ? { output: 'An answer.' } : {}) };
    } else if (i % 97 === 50) row = { instruction: rows[i - 40]!.instruction.toUpperCase(), input: '' };
    else if (i % 500 === 123) row = { instruction: benchmarkQuestions[pick(benchmarkQuestions.length)]!, input: '' };
    else if (i % 700 === 7) row = { instruction: 'x', input: '' };
    else {
      const words = [TEMPLATES[pick(TEMPLATES.length)]!];
      for (let w = 0; w < 14; w++) words.push(WORDS[pick(WORDS.length)]!);
      row = { instruction: words.join(' '), input: i % 3 === 0 ? `context ${i}` : '', ...(i % 11 === 0 ? { output: `Answer ${i}.` } : {}) };
    }
    rows.push(row);
  }
  await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return rows;
}

describe('tapir clean on worker threads', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tapir-clean-threads-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('writes the same kept and dropped rows as one thread, and the answered copy of a near-duplicate is the one kept', async () => {
    const benchmark = (await readFile(join(__dirname, '../benchmarks/mt-bench.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { instruction: string }).instruction);
    const pool = join(dir, 'pool.jsonl');
    const rows = await writePool(pool, benchmark);
    const config = cleanConfigSchema.parse({ decontaminate: { benchmarks: ['mt-bench'] } });
    const one = await cleanFiles({ config, dataFiles: [pool], outDir: join(dir, 'one'), threads: 0 });
    const two = await cleanFiles({ config, dataFiles: [pool], outDir: join(dir, 'two'), threads: 2 });
    expect([one.threads, two.threads]).toEqual([0, 2]);
    for (const f of ['kept.jsonl', 'dropped.jsonl']) expect(await readFile(join(dir, 'two', f), 'utf8')).toBe(await readFile(join(dir, 'one', f), 'utf8'));
    expect(two.droppedByReason).toEqual(one.droppedByReason);
    expect(one.rows).toBe(rows.length);
    expect(one.droppedByReason).toMatchObject({
      'near-duplicate': expect.any(Number),
      duplicate: expect.any(Number),
      contaminated: expect.any(Number),
      length: expect.any(Number),
    });
    // 600 planted near-copies (Jaccard about 0.83); a few copy a row that was itself dropped.
    expect(one.droppedByReason['near-duplicate']!).toBeGreaterThan(450);

    const dropped = (await readFile(join(dir, 'two', 'dropped.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Row & { reason: string; evidence: { twinKey?: string }; source: { line: number } });
    const keptLines = new Set(
      (await readFile(join(dir, 'two', 'kept.jsonl'), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => `${pool}:${(JSON.parse(l) as { source: { line: number } }).source.line}`),
    );
    // Every twin named is a kept row; answered near-copies are kept over the earlier rows they copy.
    for (const d of dropped.filter((r) => r.reason === 'near-duplicate' || r.reason === 'duplicate')) expect(keptLines.has(d.evidence.twinKey!)).toBe(true);
    const answeredCopies = rows.map((r, i) => ({ r, line: i + 1 })).filter(({ r, line }) => line % 30 === 0 && r.output !== undefined);
    const keptAnswered = answeredCopies.filter(({ line }) => keptLines.has(`${pool}:${line}`)).length;
    expect(keptAnswered / answeredCopies.length).toBeGreaterThan(0.9);
  }, 120_000);
});
