import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import type { CleanConfig } from '@tapir/core';
import { readPool, type PoolRecord } from '@tapir/formats';
import { CleanInputError, loadBenchmarkIndex, loadFlaggedWords } from './benchmark-files';
import type { CleanDrop, CleanReason } from './clean-drop';
import { Cleaner, type CleanRow } from './cleaner';
import { HeldRows, type HeldRow } from './held-rows';

/**
 * Rows held between the passes (held-rows.ts). Small: holding pays for a pool of some hundred
 * thousand rows (one parse instead of two), but at 500,000 rows it saved no CPU (the bigger heap
 * cost the garbage collector what the parse saved) and took 185 MB of issue 15's 1 GB.
 */
const HELD_ROWS_BUDGET_BYTES = 64 * 1024 * 1024;

export interface CleanFilesOptions {
  config: CleanConfig;
  dataFiles: readonly string[];
  outDir: string;
  maxRowBytes?: number;
  /** Relative benchmark and word-list paths are resolved from here (the config file's folder). */
  baseDir?: string;
}

export interface CleanFilesReport {
  files: string[];
  rows: number;
  kept: number;
  dropped: number;
  droppedByReason: Partial<Record<CleanReason, number>>;
  contaminatedByBenchmark: Record<string, number>;
  benchmarks: { names: string[]; questions: number };
  settings: Pick<CleanConfig, 'dedup' | 'decontaminate' | 'quality'>;
  lsh: { bands: number; rows: number };
  timings: { loadMs: number; answeredPassMs: number; mainPassMs: number; totalMs: number; rowsPerSecond: number };
}

/** The answers a row came with (output, teacher or student answer). */
export function importedAnswers(record: PoolRecord): string[] {
  const answers: string[] = [];
  for (const a of [record.output, record.teacherAnswer, record.studentAnswer]) if (a !== undefined) answers.push(a);
  return answers;
}

/** Buffered JSONL writing that waits when the stream is full, so memory stays flat. */
class JsonlWriter {
  private buffer = '';
  private readonly stream: WriteStream;
  constructor(path: string) {
    this.stream = createWriteStream(path);
  }
  async write(row: unknown): Promise<void> {
    this.buffer += JSON.stringify(row) + '\n';
    if (this.buffer.length < 1 << 16) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    if (this.buffer !== '') this.stream.write(this.buffer);
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/**
 * `tapir clean`: the rule-based cleaning of pool files, no campaign, no queue. Two passes
 * so that the copy kept of a duplicate is the one with an answer, then the first in file order
 * (the files in the order given): the first pass judges the rows that came with an answer and
 * checks every row; the second judges the rest and writes kept.jsonl and dropped.jsonl in file
 * order. Memory holds the indexes, a verdict per answered row, and the first pass's rows while they
 * fit a budget (a file that does not fit is read again). A bad row (or
 * an unreadable benchmark) stops the run before anything is written, naming file and line.
 */
export async function cleanFiles(opts: CleanFilesOptions): Promise<CleanFilesReport> {
  const started = performance.now();
  const { config } = opts;
  const [benchmarks, flaggedWords] = await Promise.all([loadBenchmarkIndex(config, opts.baseDir), loadFlaggedWords(config, opts.baseDir)]);
  const lines: number[] = [];
  const fileStarts: number[] = [];
  const describeRef = (ref: number) => {
    let f = fileStarts.length - 1;
    while (f > 0 && fileStarts[f]! > ref) f--;
    return `${opts.dataFiles[f]}:${lines[ref]}`;
  };
  const cleaner = new Cleaner(config, { benchmarks, flaggedWords, describeRef });
  const loaded = performance.now();

  const answeredDrops = new Map<number, CleanDrop | null>();
  const held = new HeldRows(HELD_ROWS_BUDGET_BYTES);
  let ref = 0;
  for (const file of opts.dataFiles) {
    fileStarts.push(ref);
    held.startFile();
    for await (const event of readPool(file, { format: 'auto', ...(opts.maxRowBytes ? { maxRowBytes: opts.maxRowBytes } : {}) })) {
      if (event.kind === 'error') throw new CleanInputError(file, event.message, event.line);
      lines.push(event.line);
      held.hold(event.line, event.record);
      const answers = importedAnswers(event.record);
      if (answers.length > 0) answeredDrops.set(ref, judge(cleaner, ref, event.record, answers));
      ref++;
    }
  }
  const answeredPass = performance.now();

  await mkdir(opts.outDir, { recursive: true });
  const kept = new JsonlWriter(join(opts.outDir, 'kept.jsonl'));
  const dropped = new JsonlWriter(join(opts.outDir, 'dropped.jsonl'));
  const droppedByReason: Partial<Record<CleanReason, number>> = {};
  const contaminatedByBenchmark: Record<string, number> = {};
  let keptCount = 0;
  ref = 0;
  const settle = async (file: string, { record, line }: HeldRow) => {
    const drop = answeredDrops.has(ref) ? answeredDrops.get(ref)! : judge(cleaner, ref, record, []);
    const row = { ...record, source: { file, line } };
    if (drop === null) {
      keptCount++;
      await kept.write(row);
    } else {
      droppedByReason[drop.reason] = (droppedByReason[drop.reason] ?? 0) + 1;
      if (drop.evidence.benchmark) contaminatedByBenchmark[drop.evidence.benchmark] = (contaminatedByBenchmark[drop.evidence.benchmark] ?? 0) + 1;
      await dropped.write({ ...row, reason: drop.reason, evidence: drop.evidence });
    }
    ref++;
  };
  for (const [index, file] of opts.dataFiles.entries()) {
    const rows = held.take(index);
    if (rows) {
      for (const row of rows) await settle(file, row);
      continue;
    }
    for await (const event of readPool(file, { format: 'auto', ...(opts.maxRowBytes ? { maxRowBytes: opts.maxRowBytes } : {}) })) {
      if (event.kind === 'error') throw new CleanInputError(file, event.message, event.line);
      await settle(file, event);
    }
  }
  await Promise.all([kept.close(), dropped.close()]);
  const finished = performance.now();
  const ms = (a: number, b: number) => Math.round(b - a);
  return {
    files: [...opts.dataFiles],
    rows: ref,
    kept: keptCount,
    dropped: ref - keptCount,
    droppedByReason,
    contaminatedByBenchmark,
    benchmarks: { names: benchmarks?.benchmarks ?? [], questions: benchmarks?.size ?? 0 },
    settings: { dedup: config.dedup, decontaminate: config.decontaminate, quality: config.quality },
    lsh: cleaner.bands,
    timings: {
      loadMs: ms(started, loaded),
      answeredPassMs: ms(loaded, answeredPass),
      mainPassMs: ms(answeredPass, finished),
      totalMs: ms(started, finished),
      rowsPerSecond: Math.round(ref / ((finished - loaded) / 1000)),
    },
  };
}

function judge(cleaner: Cleaner, ref: number, record: PoolRecord, answers: readonly string[]): CleanDrop | null {
  const row: CleanRow = { ref, instruction: record.instruction, input: record.input, answers };
  return cleaner.judge(row);
}
