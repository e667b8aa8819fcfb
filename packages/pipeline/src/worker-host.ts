import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { isConnectionError } from '@tapir/db';
import type { Redis } from 'ioredis';
import { chunkOutcome } from './chunk-outcome';
import { failureKind, postponeDelayMs } from './failure-kind';
import { seedChunkMembers } from './item-batches';
import { isChunkJob, queueName } from './job-catalog';
import { backoffStrategy, describeError } from './retry-policy';
import type { PipelineServices } from './services';
import type { ItemBatch, ItemJob, ItemStepDefinition, JobStepDefinition, StepDefinition } from './steps/step-definition';

const DEFAULT_VISIBILITY_TIMEOUT_MS = 30_000;

/** How long a worker may go silent before its jobs count as stalled and go to another worker. */
function lockDurationMs(step: StepDefinition): number {
  const fromEnv = Number(process.env.TAPIR_LOCK_MS);
  if (Number.isFinite(fromEnv) && fromEnv >= 1000) return fromEnv;
  return step.visibilityTimeoutMs ?? DEFAULT_VISIBILITY_TIMEOUT_MS;
}

export interface WorkerHostOptions {
  /** Jobs in flight per queue in this process (unless the step sets its own); the per-role limiters cap model calls below it. */
  concurrency?: number;
  /** Serve only these steps' queues (default: every step of the registry). */
  steps?: readonly string[];
}


/**
 * Runs the jobs of every step in the registry, in this process. How a job carries its work (a
 * chunk of items, one item, one unit of its own) is settled here, so steps only say what to do
 * with one item and what follows a batch. A failure that no retry can fix, or the last
 * attempt's failure, is written to PostgreSQL before BullMQ hears of it.
 */
export class WorkerHost {
  private readonly workers: Worker[] = [];
  /** Aborted when close() begins, so that a long step (the planner feeding refinements) can stop and be postponed. */
  private closing = new AbortController();

  constructor(
    private readonly services: PipelineServices,
    private readonly connection: Redis,
    private readonly options: WorkerHostOptions = {},
  ) {}

  start(): void {
    if (this.closing.signal.aborted) this.closing = new AbortController();
    const concurrency = this.options.concurrency ?? 64;
    const { steps } = this.services;
    for (const step of this.options.steps?.map((name) => steps.get(name)) ?? steps.steps) {
      const lockDuration = lockDurationMs(step);
      const worker = new Worker(queueName(step.name, this.services.queues.prefix), (job: Job, token?: string) => this.run(step, job, token), {
        connection: this.connection,
        concurrency: step.concurrency ?? concurrency,
        settings: { backoffStrategy },
        lockDuration,
        stalledInterval: lockDuration,
        // A stalled job is one whose worker died (SIGKILL, OOM, lost machine). Jobs are
        // idempotent, so running one again is always safe; failing it would strand its item.
        maxStalledCount: 1000,
      });
      worker.on('error', (err) => this.services.logger.error({ err: describeError(err), step: step.name }, 'worker error'));
      this.workers.push(worker);
    }
  }

  /** Puts the job back for later without spending one of its attempts. */
  private async postpone(job: Job, token: string | undefined, delayMs: number): Promise<never> {
    await job.moveToDelayed(Date.now() + Math.round(delayMs), token);
    throw new DelayedError();
  }

  private async run(step: StepDefinition, job: Job, token?: string): Promise<void> {
    const data = step.schema.parse(job.data) as { campaignId: string; round: number };
    const attempts = job.opts.attempts ?? step.retry.attempts;
    const lastAttempt = job.attemptsMade + 1 >= attempts;
    try {
      // A paused or cancelled campaign's jobs are dropped; resume re-enqueues from PostgreSQL.
      if (await this.services.gate.halted(data.campaignId)) return;
      if (step.unit === 'item') await this.runItems(step, data as ItemJob, job, lastAttempt);
      else await (step as JobStepDefinition).process(this.services, data, this.closing.signal);
    } catch (err) {
      const failure = failureKind(err);
      if (failure === 'halted') {
        this.services.gate.forget(data.campaignId);
        return;
      }
      if (failure === 'postpone') {
        if (isConnectionError(err)) this.services.logger.warn({ step: step.name, jobId: job.id, reason: describeError(err) }, 'PostgreSQL unreachable; job postponed');
        await this.postpone(job, token, postponeDelayMs(err));
      }
      const retryable = failure === 'retry';
      const reason = describeError(err);
      this.services.logger.warn({ step: step.name, jobId: job.id, attempt: job.attemptsMade + 1, retryable, reason }, 'job failed');
      if (!retryable || lastAttempt) {
        // An item step's items record their own failures (runItems); what reaches here failed
        // outside any item (reading a chunk's members), and reconcile adds the job again.
        if (step.unit === 'job') await step.onFinalFailure(this.services, data, reason.slice(0, 1000));
        throw new UnrecoverableError(reason);
      }
      throw err;
    }
  }

  /**
   * Runs the step for each item of the job's batch side by side (the role's limiter caps the
   * requests). Every item settles before the job may end, so that a retry never sends again a
   * request that was still in flight; an item that failed for good is recorded on its own, and
   * the job is postponed or retried (skipping the items already done) only for what another
   * attempt can fix. What it throws, the caller handles as the job's error.
   */
  private async runItems(step: ItemStepDefinition<unknown>, data: ItemJob, job: Job, lastAttempt: boolean): Promise<void> {
    const s = this.services;
    const batch: ItemBatch = isChunkJob(data)
      ? { ...data, itemIds: await (step.chunkMembers ? step.chunkMembers(s, data) : seedChunkMembers(s.db, data)) }
      : { campaignId: data.campaignId, round: data.round, itemIds: [data.itemId] };
    const item = (itemId: number) => ({ campaignId: batch.campaignId, itemId, round: batch.round });
    const settled = await Promise.allSettled(batch.itemIds.map((itemId) => step.processItem(s, item(itemId))));
    const outcome = chunkOutcome(batch.itemIds, settled, { lastAttempt, kindOf: failureKind });
    for (const failure of outcome.final) {
      const reason = describeError(failure.error);
      s.logger.warn({ step: step.name, jobId: job.id, itemId: failure.itemId, attempt: job.attemptsMade + 1, retryable: false, reason }, 'item failed');
      await step.onItemFailed(s, item(failure.itemId), reason.slice(0, 1000));
    }
    if (outcome.action !== 'done') throw outcome.error;
    const results = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    await step.afterBatch?.(s, batch, results);
  }

  /** Stops taking jobs and waits for the ones in flight (graceful SIGINT/SIGTERM). */
  async close(force = false): Promise<void> {
    this.closing.abort();
    await Promise.all(this.workers.map((w) => w.close(force)));
    this.workers.length = 0;
  }
}
