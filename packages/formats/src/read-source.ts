import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { chooseSplitShards } from './dataset-split';
import { PoolFileError } from './pool-file-error';
import type { ImportEvent, ReadPoolOptions } from './pool-types';
import { readPoolBatches } from './read-pool';

/** Where a source's rows are: one file, or a dataset folder's split as shard files. */
export interface SourceFiles {
  /** Absolute or as given; a folder's shards are joined onto it. */
  files: string[];
  /** True for a dataset folder: events carry the shard index. */
  sharded: boolean;
  split?: string;
}

/** An event of a source, with the file it came from and the shard index (null for a single-file source). */
export type SourceEvent = ImportEvent & { file: string; shard: number | null };

/** Hidden folders (.git, .cache/huggingface) hold no data of the dataset. */
const MAX_DEPTH = 4;

async function listFiles(root: string, dir = root, depth = 0): Promise<string[]> {
  if (depth > MAX_DEPTH) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, path, depth + 1)));
    else if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

/** The files a source entry reads: the file itself, or the split's shards of a dataset folder. */
export async function resolveSourceFiles(path: string, split?: string): Promise<SourceFiles> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PoolFileError(path, code === 'ENOENT' ? 'file not found' : `cannot read: ${(error as Error).message}`);
  }
  if (!info.isDirectory()) {
    if (split !== undefined) throw new PoolFileError(path, `split: '${split}' is given, but this is a file, not a dataset folder`);
    return { files: [path], sharded: false };
  }
  const choice = chooseSplitShards(await listFiles(path), split);
  if ('problem' in choice) throw new PoolFileError(path, `dataset folder ${choice.problem}`);
  return { files: choice.files.map((f) => join(path, f)), sharded: true, ...(choice.split ? { split: choice.split } : {}) };
}

/** A batch of a source's events, all from one file (see event-batches.ts). */
export interface SourceEventBatch {
  file: string;
  /** The shard index, null for a single-file source. */
  shard: number | null;
  events: ImportEvent[];
}

/**
 * Reads a source's files in order (a dataset folder shard by shard), each event naming its file
 * and shard. Shards are read one at a time, so memory is that of one file's reader.
 */
export async function* readSource(files: SourceFiles, opts: ReadPoolOptions = {}): AsyncGenerator<SourceEvent> {
  for await (const { file, shard, events } of readSourceBatches(files, opts)) {
    for (const event of events) yield { ...event, file, shard };
  }
}

/** readSource's events in batches of one file's events, same order. */
export async function* readSourceBatches(files: SourceFiles, opts: ReadPoolOptions = {}): AsyncGenerator<SourceEventBatch> {
  for (let shard = 0; shard < files.files.length; shard++) {
    const file = files.files[shard]!;
    for await (const events of readPoolBatches(file, opts)) yield { file, shard: files.sharded ? shard : null, events };
  }
}
