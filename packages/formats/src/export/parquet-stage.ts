import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ParquetLayout } from './parquet-layout';
import type { ParquetStageJob, ParquetStageResult } from './parquet-stage-worker';

/** Rows per row group: a few MB of text each, so a reader previews the start without reading the file. */
const ROW_GROUP_ROWS = 5000;

/** stage-1.jsonl → stage-1.parquet */
export function parquetFileName(jsonlFile: string): string {
  return jsonlFile.replace(/\.jsonl$/, '') + '.parquet';
}

/**
 * Copies finished stage files into Parquet beside them, row for row, streaming (memory is bounded
 * by a row group), one worker thread for them all. Each file appears whole or not at all: it is
 * written under a temporary name, fsynced and renamed. The worker is the compiled one in dist/,
 * where Node can run it (under a test runner this module itself is loaded from src/).
 */
export async function writeParquetStages(jsonlPaths: readonly string[], layout: ParquetLayout): Promise<(ParquetStageResult & { path: string })[]> {
  const jobs: ParquetStageJob[] = jsonlPaths.map((jsonlPath) => {
    const parquetPath = join(dirname(jsonlPath), parquetFileName(basename(jsonlPath)));
    return {
      jsonlPath,
      parquetPath,
      tempPath: join(dirname(parquetPath), `.${basename(parquetPath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`),
      layout,
      rowGroupRows: ROW_GROUP_ROWS,
    };
  });
  if (jobs.length === 0) return [];
  const worker = new Worker(require.resolve('@tapir/formats/dist/export/parquet-stage-worker.js'), { workerData: jobs });
  try {
    const results = await new Promise<ParquetStageResult[]>((resolve, reject) => {
      worker.once('message', (message: { ok: true; results: ParquetStageResult[] } | { ok: false; message: string }) => {
        if (message.ok) resolve(message.results);
        else reject(new Error(`writing Parquet: ${message.message}`));
      });
      worker.once('error', (error) => reject(new Error(`writing Parquet: ${error.message}`)));
      worker.once('exit', (code) => reject(new Error(`writing Parquet: the worker exited (code ${code}) before it finished`)));
    });
    return results.map((result, i) => ({ ...result, path: jobs[i]!.parquetPath }));
  } finally {
    await worker.terminate();
  }
}
