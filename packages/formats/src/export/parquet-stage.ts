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
 * Copies a finished stage file into Parquet beside it, row for row, streaming (memory is bounded
 * by a row group). The file appears whole or not at all: it is written under a temporary name,
 * fsynced and renamed. The worker is the compiled one in dist/, where Node can run it (under a
 * test runner this module itself is loaded from src/).
 */
export async function writeParquetStage(jsonlPath: string, layout: ParquetLayout): Promise<ParquetStageResult & { path: string }> {
  const parquetPath = join(dirname(jsonlPath), parquetFileName(basename(jsonlPath)));
  const job: ParquetStageJob = {
    jsonlPath,
    parquetPath,
    tempPath: join(dirname(parquetPath), `.${basename(parquetPath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`),
    layout,
    rowGroupRows: ROW_GROUP_ROWS,
  };
  const worker = new Worker(require.resolve('@tapir/formats/dist/export/parquet-stage-worker.js'), { workerData: job });
  const result = await new Promise<ParquetStageResult>((resolve, reject) => {
    worker.once('message', (message: { ok: true; result: ParquetStageResult } | { ok: false; message: string }) => {
      if (message.ok) resolve(message.result);
      else reject(new Error(`writing ${parquetPath}: ${message.message}`));
    });
    worker.once('error', (error) => reject(new Error(`writing ${parquetPath}: ${error.message}`)));
    worker.once('exit', (code) => reject(new Error(`writing ${parquetPath}: the Parquet worker exited (code ${code}) before it finished`)));
  });
  await worker.terminate();
  return { ...result, path: parquetPath };
}
