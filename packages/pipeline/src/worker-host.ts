import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { isConnectionError } from '@tapir/db';
import type { Redis } from 'ioredis';
import { recordFinalFailure } from './failure-recorder';
import { chunkOutcome } from './chunk-outcome';
import { chunkMembers } from './item-chunks';
import { isChunkJob, JOB_KINDS, JOB_SCHEMAS, queueName, type ChunkedKind, type ChunkJobData, type ItemJobData, type JobData, type JobKind } from './job-catalog';
import { processAnswer } from './processors/answer';
import { processClassify } from './processors/classify';
import { processJudge } from './processors/judge';
import { processPlan } from './processors/plan';
import { processRefine } from './processors/refine';
import { processExpand } from './processors/expand';
import { processScoreIfd } from './processors/score-ifd';
import { backoffStrategy, describeError } from './retry-policy';
import type { PipelineServices } from './services';
import { afterChunk } from './chunk-progression';
import { failureKind, postponeDelayMs } from './failure-kind';

/** How long a worker may go silent before its jobs count as stalled and go to another worker. */
function lockDurationMs(): number {
  const fromEnv = Number(process.env.TAPIR_LOCK_MS);
  return Number.isFinite(fromEnv) && fromEnv >= 1000 ? fromEnv : 30_000;
}

export interface WorkerHostOptions {
  /** Jobs in flight per queue in this process; the per-role limiters cap model calls below it. */
  concurrency?: number;
  kinds?: readonly JobKind[];
}

function dispatch(s: PipelineServices, kind: JobKind, data: JobData<JobKind>, closing: AbortSignal, inChunk = false): Promise<void> {
  switch (kind) {
    case 'classify':
      return processClassify(s, data as ItemJobData);
    case 'answer-teacher':
      return processAnswer(s, 'teacher', data as ItemJobData, inChunk);
    case 'answer-student':
      return processAnswer(s, 'student', data as ItemJobData, inChunk);
    case 'judge':
      return processJudge(s, data as ItemJobData);
    case 'plan':
      return processPlan(s, data as JobData<'plan'>, closing);
    case 'refine':
      return processRefine(s, data as ItemJobData);
    case 'score-ifd':
      return processScoreIfd(s, data as JobData<'score-ifd'>);
    case 'expand':
      return processExpand(s, data as JobData<'expand'>);
  }
}

/**
 * Runs the processors of every step in this process. A failure that no retry can fix, or the
 * last attempt's failure, is written to PostgreSQL before BullMQ hears of it.
 */
const PLAN_CONCURRENCY = 4;

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
    for (const kind of this.options.kinds ?? JOB_KINDS) {
      const lockDuration = lockDurationMs();
      const worker = new Worker(queueName(kind, this.services.queues.prefix), (job: Job, token?: string) => this.run(kind, job, token), {
        connection: this.connection,
        // A plan job keeps its slot while it feeds its round's refinements at the pace they finish:
        // a few slots let other campaigns plan meanwhile.
        concurrency: kind === 'plan' ? PLAN_CONCURRENCY : concurrency,
        settings: { backoffStrategy },
        lockDuration,
        stalledInterval: lockDuration,
        // A stalled job is one whose worker died (SIGKILL, OOM, lost machine). Jobs are
        // idempotent, so running one again is always safe; failing it would strand its item.
        maxStalledCount: 1000,
      });
      worker.on('error', (err) => this.services.logger.error({ err: describeError(err), kind }, 'worker error'));
      this.workers.push(worker);
    }
  }

  /** Puts the job back for later without spending one of its attempts. */
  private async postpone(job: Job, token: string | undefined, delayMs: number): Promise<never> {
    await job.moveToDelayed(Date.now() + Math.round(delayMs), token);
    throw new DelayedError();
  }

  private async run(kind: JobKind, job: Job, token?: string): Promise<void> {
    const data = JOB_SCHEMAS[kind].parse(job.data) as JobData<JobKind>;
    try {
      // A paused or cancelled campaign's jobs are dropped; resume re-enqueues from PostgreSQL.
      if (await this.services.gate.halted(data.campaignId)) return;
      if (isChunkJob(data)) await this.runChunk(kind as ChunkedKind, data, job);
      else await dispatch(this.services, kind, data, this.closing.signal);
    } catch (err) {
      const failure = failureKind(err);
      if (failure === 'halted') {
        this.services.gate.forget(data.campaignId);
        return;
      }
      if (failure === 'postpone') {
        if (isConnectionError(err)) this.services.logger.warn({ kind, jobId: job.id, reason: describeError(err) }, 'PostgreSQL unreachable; job postponed');
        await this.postpone(job, token, postponeDelayMs(err));
      }
      const retryable = failure === 'retry';
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const reason = describeError(err);
      this.services.logger.warn({ kind, jobId: job.id, attempt: job.attemptsMade + 1, retryable, reason }, 'job failed');
      if (!retryable || lastAttempt) {
        // A chunk job's items record their own failures (runChunk); what reaches here failed
        // outside any item (reading the chunk's members), and reconcile adds the chunk again.
        if (!isChunkJob(data)) await recordFinalFailure(this.services, kind, data, reason);
        throw new UnrecoverableError(reason);
      }
      throw err;
    }
  }

  /**
   * Runs the step for each of the chunk's items side by side (the role's limiter caps the
   * requests). Every item settles before the job may end, so that a retry never sends again a
   * request that was still in flight; an item that failed for good is recorded on its own, and
   * the job is postponed or retried (skipping the items already done) only for what another
   * attempt can fix. What it throws, the caller handles as a one-item job's error.
   */
  private async runChunk(kind: ChunkedKind, data: ChunkJobData, job: Job): Promise<void> {
    const itemIds = await chunkMembers(this.services.db, kind, data);
    const settled = await Promise.allSettled(
      itemIds.map((itemId) => dispatch(this.services, kind, { campaignId: data.campaignId, itemId, round: data.round }, this.closing.signal, true)),
    );
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = chunkOutcome(itemIds, settled, { lastAttempt, kindOf: failureKind });
    for (const failure of outcome.final) {
      const reason = describeError(failure.error);
      this.services.logger.warn({ kind, jobId: job.id, itemId: failure.itemId, attempt: job.attemptsMade + 1, retryable: false, reason }, 'item failed');
      await recordFinalFailure(this.services, kind, { campaignId: data.campaignId, itemId: failure.itemId, round: data.round }, reason);
    }
    if (outcome.action !== 'done') throw outcome.error;
    await afterChunk(this.services, kind, data, itemIds);
  }

  /** Stops taking jobs and waits for the ones in flight (graceful SIGINT/SIGTERM). */
  async close(force = false): Promise<void> {
    this.closing.abort();
    await Promise.all(this.workers.map((w) => w.close(force)));
    this.workers.length = 0;
  }
}
