import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { JsonlLineSplitter } from '../jsonl-line-splitter';
import { readTextChunks } from '../read-text-chunks';
import { parquetRecord, type ParquetLayout } from './parquet-layout';

/** What the export asks of this worker, per stage file: copy it into Parquet. */
export interface ParquetStageJob {
  jsonlPath: string;
  parquetPath: string;
  tempPath: string;
  layout: ParquetLayout;
  rowGroupRows: number;
}

export interface ParquetStageResult {
  rows: number;
  bytes: number;
  sha256: string;
}

const MAX_STAGE_ROW_BYTES = 64 * 1024 * 1024;

/**
 * Runs in a worker thread so that hyparquet-writer, an ES module, is loaded by Node's own loader
 * (the CommonJS packages reach it only through import(), which test runners' module sandboxes
 * refuse) and so that its synchronous encoding and compression stay off the export's event loop.
 */
async function run(job: ParquetStageJob): Promise<ParquetStageResult> {
  const { parquetWriteRows, fileWriter } = await import('hyparquet-writer');
  let rows = 0;
  async function* records(): AsyncGenerator<Record<string, unknown>> {
    const splitter = new JsonlLineSplitter(MAX_STAGE_ROW_BYTES);
    const take = function* (raws: ReturnType<JsonlLineSplitter['push']>): Generator<Record<string, unknown>> {
      for (const raw of raws) {
        if ('problem' in raw) throw new Error(`${job.jsonlPath}:${raw.line}: ${raw.problem}`);
        rows++;
        yield parquetRecord(JSON.parse(raw.text) as Record<string, unknown>, job.layout);
      }
    };
    for await (const text of readTextChunks(job.jsonlPath)) yield* take(splitter.push(text));
    yield* take(splitter.end());
  }
  try {
    await parquetWriteRows({
      writer: fileWriter(job.tempPath),
      rows: records(),
      columns: job.layout.columns.map((name) => ({ name })),
      schema: job.layout.schema,
      rowGroupSize: job.rowGroupRows,
      createdBy: 'tapir export (hyparquet-writer)',
    });
    const handle = await open(job.tempPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(job.tempPath) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    await rename(job.tempPath, job.parquetPath);
    return { rows, bytes, sha256: hash.digest('hex') };
  } catch (error) {
    await unlink(job.tempPath).catch(() => undefined);
    throw error;
  }
}

async function runAll(jobs: readonly ParquetStageJob[]): Promise<ParquetStageResult[]> {
  const results: ParquetStageResult[] = [];
  for (const job of jobs) {
    try {
      results.push(await run(job));
    } catch (error) {
      throw new Error(`${job.parquetPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return results;
}

if (parentPort) {
  const port = parentPort;
  runAll(workerData as ParquetStageJob[]).then(
    (results) => port.postMessage({ ok: true, results }),
    (error: unknown) => port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
}
