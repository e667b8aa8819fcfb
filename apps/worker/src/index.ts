import { openPipeline, StallWatchdog, WorkerHost, type Pipeline } from '@tapir/pipeline';

export interface StandaloneWorkerOptions {
  concurrency?: number;
  /** Longest wait for in-flight jobs on SIGINT/SIGTERM before closing anyway. */
  drainTimeoutMs?: number;
  /** Runs before any job is taken (the CLI's preflight); what it throws stops the worker unstarted. */
  beforeStart?: (pipeline: Pipeline) => Promise<void>;
}

/**
 * A standalone worker: serves every campaign's queues until SIGINT/SIGTERM, then lets the
 * jobs in flight finish (bounded) and exits. Run any number, on any machine that shares the
 * database and Redis. Each runs the stall watchdog, so a campaign whose queue was lost is
 * reconciled with no `tapir run` watching it.
 */
export async function runStandaloneWorker(opts: StandaloneWorkerOptions = {}): Promise<void> {
  const pipeline: Pipeline = await openPipeline();
  try {
    await opts.beforeStart?.(pipeline);
  } catch (err) {
    await pipeline.close();
    throw err;
  }
  const host = new WorkerHost(pipeline.services, pipeline.redis, { concurrency: opts.concurrency ?? 64 });
  host.start();
  const watchdog = new StallWatchdog(pipeline.services, pipeline.redis);
  watchdog.start();
  pipeline.services.logger.info({ concurrency: opts.concurrency ?? 64, pid: process.pid }, 'worker started');
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        pipeline.services.logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      stopping = true;
      pipeline.services.logger.info({ signal }, 'stopping: waiting for jobs in flight');
      void watchdog.stop();
      const timer = setTimeout(() => void host.close(true).then(resolve), opts.drainTimeoutMs ?? 30_000);
      void host.close().then(() => {
        clearTimeout(timer);
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await watchdog.stop();
  await pipeline.close();
  pipeline.services.logger.info('worker stopped');
}
