import { runStandaloneWorker } from '@tapir/worker';
import { assertWorkingEndpointsAnswer } from '../preflight-check';

export async function workerCommand(opts: { concurrency: number; preflight: boolean }): Promise<void> {
  await runStandaloneWorker({
    concurrency: opts.concurrency,
    // The campaigns being worked on now; one started later is checked by its own `tapir run`.
    ...(opts.preflight
      ? {
          beforeStart: async (pipeline) => {
            const campaigns = await assertWorkingEndpointsAnswer(pipeline);
            pipeline.services.logger.info({ campaigns }, 'preflight: every endpoint answered');
          },
        }
      : {}),
  });
}
