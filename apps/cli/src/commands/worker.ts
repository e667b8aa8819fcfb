import { runStandaloneWorker } from '@tapir/worker';

export async function workerCommand(opts: { concurrency: number }): Promise<void> {
  await runStandaloneWorker({ concurrency: opts.concurrency });
}
