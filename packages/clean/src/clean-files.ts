import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { CleanConfig } from '@tapir/core';
import { readPoolBatches, type PoolRecord } from '@tapir/formats';
import { CleanInputError, loadBenchmarkIndex, loadFlaggedWords } from './benchmark-files';
import type { CleanDrop, CleanReason } from './clean-drop';
import { BatchAnalyser } from './analysis-pool';
import { Cleaner } from './cleaner';
import { HeldRows, type HeldRow } from './held-rows';
import { OrderedAnalysis } from './ordered-analysis';
import type { CleanRowText, RowAnalysis } from './row-analyser';

/**
 * Rows held between the passes (held-rows.ts). Small: holding pays for a pool of some hundred
 * thousand rows (one parse instead of two), but at 500,000 rows it saved no CPU (the bigger heap
 * cost the garbage collector what the parse saved) and took 185 MB of issue 15's 1 GB.
 */
const HELD_ROWS_BUDGET_BYTES = 64 * 1024 * 1024;

/** Rows per batch sent to an analysis thread: large enough that messages cost little, small enough to keep every thread busy. */
const ANALYSIS_BATCH_ROWS = 1000;
/** Batches analysing at once per thread: one being worked on, one waiting, so no thread idles between messages. */
const BATCHES_PER_THREAD = 2;

export interface CleanFilesOptions {
  config: CleanConfig;
  dataFiles: readonly string[];
  outDir: string;
  maxRowBytes?: number;
  /** Relative benchmark and word-list paths are resolved from here (the config file's folder). */
  baseDir?: string;
  /**
   * Threads that analyse rows (the per-row rules, decontamination, shingles and MinHash) while
   * this one reads the files and decides duplicates in order; 0 analyses here. Default: the
   * machine's available parallelism. A pool shorter than one batch is analysed here regardless.
   */
  threads?: number;
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
  threads: number;
}

/** The answers a row came with (output, teacher or student answer). */
export function importedAnswers(record: PoolRecord): string[] {
  const answers: string[] = [];
  for (const a of [record.output, record.teacherAnswer, record.studentAnswer]) if (a !== undefined) answers.push(a);
  return answers;
}

/** Bytes buffered before a write: a megabyte per call keeps the per-call cost of the stream out of the row loop. */
const WRITE_CHUNK_CHARS = 1 << 20;

/**
 * Buffered JSONL writing that waits when the stream is full, so memory stays flat. `write` returns
 * a promise only when it had to hand a chunk to the stream: a promise per row was a measurable
 * share of the main thread, which is what bounds a large pool's cleaning.
 */
class JsonlWriter {
  private buffer = '';
  private readonly stream: WriteStream;
  constructor(path: string) {
    this.stream = createWriteStream(path);
  }
  write(row: unknown): Promise<void> | undefined {
    this.buffer += JSON.stringify(row) + '\n';
    if (this.buffer.length < WRITE_CHUNK_CHARS) return undefined;
    const chunk = this.buffer;
    this.buffer = '';
    if (this.stream.write(chunk)) return undefined;
    return once(this.stream, 'drain').then(() => undefined);
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

  const readOptions = { format: 'auto' as const, ...(opts.maxRowBytes ? { maxRowBytes: opts.maxRowBytes } : {}) };
  const threads = opts.threads ?? availableParallelism();
  const batches = new BatchAnalyser(threads, { config, ...(opts.baseDir ? { baseDir: opts.baseDir } : {}) }, cleaner.analyser);
  const { analyse } = batches;
  const inFlight = Math.max(1, threads) * BATCHES_PER_THREAD;
  const forEachRow = async (file: string, each: (row: HeldRow) => Promise<void> | undefined) => {
    // Batches, not a row per await: the reading thread is what bounds a large pool.
    for await (const events of readPoolBatches(file, readOptions)) {
      for (const event of events) {
        if (event.kind === 'error') throw new CleanInputError(file, event.message, event.line);
        const waiting = each(event);
        if (waiting) await waiting;
      }
    }
  };
  try {
    const answeredDrops = new Map<number, CleanDrop | null>();
    const held = new HeldRows(HELD_ROWS_BUDGET_BYTES);
    const answered = new OrderedAnalysis<number>(
      analyse,
      (rowRef, analysis) => void answeredDrops.set(rowRef, cleaner.decide(rowRef, analysis!)),
      ANALYSIS_BATCH_ROWS,
      inFlight,
    );
    let ref = 0;
    for (const file of opts.dataFiles) {
      fileStarts.push(ref);
      held.startFile();
      await forEachRow(file, ({ line, record }) => {
        lines.push(line);
        held.hold(line, record);
        const answers = importedAnswers(record);
        const rowRef = ref++;
        return answers.length > 0 ? answered.push(rowRef, rowText(record, answers)) : undefined;
      });
    }
    await answered.finish();
    const answeredPass = performance.now();

    await mkdir(opts.outDir, { recursive: true });
    const kept = new JsonlWriter(join(opts.outDir, 'kept.jsonl'));
    const dropped = new JsonlWriter(join(opts.outDir, 'dropped.jsonl'));
    const droppedByReason: Partial<Record<CleanReason, number>> = {};
    const contaminatedByBenchmark: Record<string, number> = {};
    let keptCount = 0;
    const settle = (file: string, rowRef: number, { record, line }: HeldRow, analysis: RowAnalysis | null): Promise<void> | undefined => {
      const drop = analysis ? cleaner.decide(rowRef, analysis) : answeredDrops.get(rowRef)!;
      const row = { ...record, source: { file, line } };
      if (drop === null) {
        keptCount++;
        return kept.write(row);
      }
      droppedByReason[drop.reason] = (droppedByReason[drop.reason] ?? 0) + 1;
      if (drop.evidence.benchmark) contaminatedByBenchmark[drop.evidence.benchmark] = (contaminatedByBenchmark[drop.evidence.benchmark] ?? 0) + 1;
      return dropped.write({ ...row, reason: drop.reason, evidence: drop.evidence });
    };
    ref = 0;
    for (const [index, file] of opts.dataFiles.entries()) {
      const rest = new OrderedAnalysis<{ rowRef: number; held: HeldRow }>(analyse, (r, analysis) => settle(file, r.rowRef, r.held, analysis), ANALYSIS_BATCH_ROWS, inFlight);
      const pushRow = (row: HeldRow) => {
        const rowRef = ref++;
        return rest.push({ rowRef, held: row }, answeredDrops.has(rowRef) ? null : rowText(row.record, []));
      };
      const rows = held.take(index);
      if (rows) {
        for (const row of rows) {
          const waiting = pushRow(row);
          if (waiting) await waiting;
        }
      } else await forEachRow(file, pushRow);
      await rest.finish();
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
      threads: batches.threadsUsed,
      timings: {
        loadMs: ms(started, loaded),
        answeredPassMs: ms(loaded, answeredPass),
        mainPassMs: ms(answeredPass, finished),
        totalMs: ms(started, finished),
        rowsPerSecond: Math.round(ref / ((finished - loaded) / 1000)),
      },
    };
  } finally {
    await batches.close();
  }
}

function rowText(record: PoolRecord, answers: readonly string[]): CleanRowText {
  return { instruction: record.instruction, input: record.input, answers };
}
