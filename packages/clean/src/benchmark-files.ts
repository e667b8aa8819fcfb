import { readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { BUNDLED_BENCHMARKS, type CleanConfig } from '@tapir/core';
import { PoolFileError, readPool } from '@tapir/formats';
import { BenchmarkIndex, type BenchmarkQuestion } from './benchmark-index';
import { FlaggedWords } from './flagged-words';

/** A benchmark or word-list file that cannot be used, named with its line (exit 2 at the CLI). */
export class CleanInputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly field?: string,
  ) {
    super(`${field ? `${field}: ` : ''}${file}${line !== undefined ? `:${line}` : ''}: ${reason}`);
    this.name = 'CleanInputError';
  }
}

const BUNDLED_DIR = join(__dirname, '..', 'benchmarks');

export function isBundledBenchmark(name: string): boolean {
  return (BUNDLED_BENCHMARKS as readonly string[]).includes(name);
}

/** The bundled file of a benchmark name. */
export function bundledBenchmarkFile(name: string): string {
  return join(BUNDLED_DIR, `${name}.jsonl`);
}

/**
 * The questions of one benchmark: a bundled name, or a pool file in any format tapir imports
 * (its instruction and input make the question). A bad row is an error naming the file and line:
 * a benchmark silently missing questions would let their copies through.
 */
export async function readBenchmark(entry: string, baseDir = process.cwd()): Promise<BenchmarkQuestion[]> {
  const bundled = isBundledBenchmark(entry);
  const file = bundled ? bundledBenchmarkFile(entry) : resolve(baseDir, entry);
  const name = bundled ? entry : basename(entry, extname(entry));
  const questions: BenchmarkQuestion[] = [];
  try {
    for await (const event of readPool(file, { format: 'auto' })) {
      if (event.kind === 'error') throw new CleanInputError(file, event.message, event.line, 'clean.decontaminate.benchmarks');
      const { instruction, input } = event.record;
      questions.push({ benchmark: name, text: input === '' ? instruction : `${instruction}\n${input}` });
    }
  } catch (error) {
    if (error instanceof CleanInputError) throw error;
    if (error instanceof PoolFileError) {
      const missing = /not found|ENOENT/.test(error.reason);
      const reason = missing ? `no such file (nor a bundled benchmark: ${BUNDLED_BENCHMARKS.join(', ')})` : error.reason;
      throw new CleanInputError(file, reason, error.line, 'clean.decontaminate.benchmarks');
    }
    throw error;
  }
  return questions;
}

/** Every configured benchmark in one index, or null when decontamination is off or has nothing to check. */
export async function loadBenchmarkIndex(config: CleanConfig, baseDir?: string): Promise<BenchmarkIndex | null> {
  const settings = config.decontaminate;
  if (!settings.enabled || settings.benchmarks.length === 0) return null;
  const questions: BenchmarkQuestion[] = [];
  for (const entry of settings.benchmarks) questions.push(...(await readBenchmark(entry, baseDir)));
  return new BenchmarkIndex(questions, settings);
}

/** The flagged-word list, or null when none is configured. */
export async function loadFlaggedWords(config: CleanConfig, baseDir = process.cwd()): Promise<FlaggedWords | null> {
  const file = config.quality.flaggedWordsFile;
  if (file === undefined) return null;
  const path = resolve(baseDir, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CleanInputError(path, (error as Error).message, undefined, 'clean.quality.flaggedWordsFile');
  }
  return new FlaggedWords(text.split(/\r?\n/));
}
