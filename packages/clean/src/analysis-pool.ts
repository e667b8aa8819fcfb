import { Worker } from 'node:worker_threads';
import type { AnalysisRequest, AnalysisWorkerData } from './analysis-worker';
import type { AnalyseBatch } from './ordered-analysis';
import { packAnalyses, type PackedAnalyses } from './packed-analyses';
import type { CleanRowText, RowAnalyser } from './row-analyser';

interface WorkerSlot {
  worker: Worker;
  waiting: Map<number, { resolve: (p: PackedAnalyses) => void; reject: (e: Error) => void }>;
}

/**
 * Worker threads that analyse batches of rows (row-analyser.ts) while the calling thread reads
 * the pool and makes the duplicate decisions in order. Batches go to the worker with the fewest
 * waiting; each answer comes back as the batch's promise, so the caller keeps its own order.
 */
export class AnalysisPool {
  private readonly slots: WorkerSlot[];
  private nextId = 0;
  private failure: Error | null = null;

  constructor(threads: number, data: AnalysisWorkerData) {
    const script = require.resolve('@tapir/clean/dist/analysis-worker.js');
    this.slots = Array.from({ length: Math.max(1, threads) }, () => this.startWorker(script, data));
  }

  private startWorker(script: string, data: AnalysisWorkerData): WorkerSlot {
    const worker = new Worker(script, { workerData: data });
    const waiting: WorkerSlot['waiting'] = new Map();
    // Batches posted while the worker still loads the benchmarks wait in its port.
    worker.on('message', (message: { id: number; packed: PackedAnalyses }) => {
      const waiter = waiting.get(message.id);
      waiting.delete(message.id);
      waiter?.resolve(message.packed);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiter of waiting.values()) waiter.reject(error);
      waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (waiting.size > 0 || code !== 0) fail(new Error(`a cleaning worker thread stopped (exit code ${code})`));
    });
    return { worker, waiting };
  }

  analyse(rows: CleanRowText[]): Promise<PackedAnalyses> {
    if (this.failure) return Promise.reject(this.failure);
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.waiting.size < slot.waiting.size) slot = s;
    const id = this.nextId++;
    return new Promise<PackedAnalyses>((resolve, reject) => {
      slot.waiting.set(id, { resolve, reject });
      const request: AnalysisRequest = { id, rows };
      slot.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.slots.map(async (s) => {
        s.worker.removeAllListeners('exit');
        await s.worker.terminate();
      }),
    );
  }
}

/**
 * Batches analysed on `threads` worker threads, started with the first full batch; a pool shorter
 * than one batch (or `threads` 0) is analysed by `local` on this thread, which costs less than
 * starting threads that each load the benchmarks.
 */
export class BatchAnalyser {
  private pool: AnalysisPool | null = null;

  constructor(
    private readonly threads: number,
    private readonly data: AnalysisWorkerData,
    private readonly local: RowAnalyser,
  ) {}

  readonly analyse: AnalyseBatch = async (rows, full) => {
    if (!this.pool && full && this.threads > 0) this.pool = new AnalysisPool(this.threads, this.data);
    if (this.pool) return this.pool.analyse(rows);
    return packAnalyses(rows.map((row) => this.local.analyse(row)));
  };

  /** Threads that analysed rows: 0 when all was done on this thread. */
  get threadsUsed(): number {
    return this.pool ? this.threads : 0;
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

