import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { recordFinalFailure } from './failure-recorder';
import { JOB_KINDS, JOB_SCHEMAS, queueName, type JobData, type JobKind } from './job-catalog';
import { processAnswer } from './processors/answer';
import { processClassify } from './processors/classify';
import { processJudge } from './processors/judge';
import { processPlan } from './processors/plan';
import { processRefine } from './processors/refine';
import { backoffStrategy, describeError, isRetryable } from './retry-policy';
import type { PipelineServices } from './services';

export interface WorkerHostOptions {
  /** Jobs in flight per queue in this process; the per-role limiters cap model calls below it. */
  concurrency?: number;
  kinds?: readonly JobKind[];
}

function dispatch(s: PipelineServices, kind: JobKind, data: JobData<JobKind>): Promise<void> {
  switch (kind) {
    case 'classify':
      return processClassify(s, data as JobData<'classify'>);
    case 'answer-teacher':
      return processAnswer(s, 'teacher', data as JobData<'answer-teacher'>);
    case 'answer-student':
      return processAnswer(s, 'student', data as JobData<'answer-student'>);
    case 'judge':
      return processJudge(s, data as JobData<'judge'>);
    case 'plan':
      return processPlan(s, data as JobData<'plan'>);
    case 'refine':
      return processRefine(s, data as JobData<'refine'>);
  }
}

/**
 * Runs the processors of every step in this process. A failure that no retry can fix, or the
 * last attempt's failure, is written to PostgreSQL before BullMQ hears of it.
 */
export class WorkerHost {
  private readonly workers: Worker[] = [];

  constructor(
    private readonly services: PipelineServices,
    private readonly connection: Redis,
    private readonly options: WorkerHostOptions = {},
  ) {}

  start(): void {
    const concurrency = this.options.concurrency ?? 64;
    for (const kind of this.options.kinds ?? JOB_KINDS) {
      const worker = new Worker(queueName(kind, this.services.queues.prefix), (job: Job) => this.run(kind, job), {
        connection: this.connection,
        concurrency: kind === 'plan' ? 1 : concurrency,
        settings: { backoffStrategy },
        // Plans of large campaigns take seconds; a generous lock keeps them from being
        // mistaken for stalled jobs.
        lockDuration: 60_000,
      });
      worker.on('error', (err) => this.services.logger.error({ err: describeError(err), kind }, 'worker error'));
      this.workers.push(worker);
    }
  }

  private async run(kind: JobKind, job: Job): Promise<void> {
    const data = JOB_SCHEMAS[kind].parse(job.data) as JobData<JobKind>;
    try {
      await dispatch(this.services, kind, data);
    } catch (err) {
      const retryable = isRetryable(err);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const reason = describeError(err);
      this.services.logger.warn({ kind, jobId: job.id, attempt: job.attemptsMade + 1, retryable, reason }, 'job failed');
      if (!retryable || lastAttempt) {
        await recordFinalFailure(this.services, kind, data, reason);
        throw new UnrecoverableError(reason);
      }
      throw err;
    }
  }

  /** Stops taking jobs and waits for the ones in flight (graceful SIGINT/SIGTERM). */
  async close(force = false): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close(force)));
    this.workers.length = 0;
  }
}
