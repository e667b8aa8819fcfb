import { parentPort, workerData } from 'node:worker_threads';
import type { CleanConfig } from '@tapir/core';
import { loadBenchmarkIndex, loadFlaggedWords } from './benchmark-files';
import { MinHasher } from './minhasher';
import { packAnalyses, transferables } from './packed-analyses';
import { RowAnalyser, type CleanRowText } from './row-analyser';

/** What analysis-pool.ts starts a worker with. */
export interface AnalysisWorkerData {
  config: CleanConfig;
  baseDir?: string;
}

export interface AnalysisRequest {
  id: number;
  rows: CleanRowText[];
}

/** A worker thread of analysis-pool.ts: loads the benchmarks and word list once, then analyses batches. */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('analysis-worker.js runs as a worker thread');
  const { config, baseDir } = workerData as AnalysisWorkerData;
  const [benchmarks, flaggedWords] = await Promise.all([loadBenchmarkIndex(config, baseDir), loadFlaggedWords(config, baseDir)]);
  const analyser = new RowAnalyser(config, { benchmarks, flaggedWords }, new MinHasher(config.dedup.jaccard));
  port.on('message', ({ id, rows }: AnalysisRequest) => {
    const packed = packAnalyses(rows.map((row) => analyser.analyse(row)));
    port.postMessage({ id, packed }, transferables(packed));
  });
}

// A failure to load rejects main(); Node raises an unhandled rejection in a worker as its 'error' event,
// which the pool turns into the rejection of every batch waiting on this worker.
void main();
