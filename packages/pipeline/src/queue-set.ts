import { Queue, type JobsOptions, type JobType } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobId, queueName } from './job-catalog';
import type { StepRegistry } from './steps/step-registry';

/** A step as the queues know it: its name, and its job data's type (so that an add is checked against the step). */
interface QueuedStep<Data> {
  readonly name: string;
  readonly schema: { parse(data: unknown): Data };
}

type JobIdFields = { campaignId: string; round: number; itemId?: number; chunk?: number; expansionId?: number };

/**
 * Retries belong to BullMQ (the SDKs' own retries are off). Finished jobs are removed at once:
 * PostgreSQL holds the results, and Redis must not fill up with payloads of finished work.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  backoff: { type: 'tapir' },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

const BULK_CHUNK = 1000;

export class QueueSet {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    readonly prefix: string,
    private readonly steps: StepRegistry,
  ) {}

  /** The queue of a step of the registry. */
  queue(step: string): Queue {
    let queue = this.queues.get(step);
    if (!queue) {
      const { retry } = this.steps.get(step);
      queue = new Queue(queueName(step, this.prefix), { connection: this.connection, defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, attempts: retry.attempts } });
      queue.on('error', () => undefined);
      this.queues.set(step, queue);
    }
    return queue;
  }

  async add<D extends JobIdFields>(step: QueuedStep<D>, data: D): Promise<void> {
    await this.queue(step.name).add(step.name, data, { jobId: jobId(step.name, data) });
  }

  /** Adds many jobs in chunks; ids already waiting or active are ignored by BullMQ. */
  async addBulk<D extends JobIdFields>(step: QueuedStep<D>, data: readonly D[]): Promise<void> {
    const kind = step.name;
    for (let i = 0; i < data.length; i += BULK_CHUNK) {
      const chunk = data.slice(i, i + BULK_CHUNK);
      await this.removeOrphans(kind, chunk.map((d) => jobId(kind, d)));
      await this.queue(kind).addBulk(chunk.map((d) => ({ name: kind, data: d, opts: { jobId: jobId(kind, d) } })));
    }
  }

  /**
   * A job hash that is in no state list (left behind when Redis lost part of a queue while a job
   * was being added or finished) makes BullMQ ignore every later add of the same id, and its
   * item would wait forever. Such orphans are removed before re-adding. One pipelined EXISTS per
   * chunk; state lookups only for ids that exist.
   */
  private async removeOrphans(kind: string, ids: readonly string[]): Promise<void> {
    const queue = this.queue(kind);
    const pipeline = this.connection.pipeline();
    for (const id of ids) pipeline.exists(queue.toKey(id));
    const found = (await pipeline.exec()) ?? [];
    for (let i = 0; i < ids.length; i++) {
      if (found[i]?.[1] !== 1) continue;
      if ((await queue.getJobState(ids[i]!)) === 'unknown') await queue.remove(ids[i]!).catch(() => 0);
    }
  }

  /**
   * Removes a campaign's jobs in the given states from every queue: on cancel (waiting work), and
   * before a reconcile (failed jobs whose ids would otherwise block re-adding the same job).
   */
  async removeCampaignJobs(campaignId: string, states: JobType[]): Promise<number> {
    const prefix = `${campaignId}.`;
    let removed = 0;
    for (const queue of this.all()) {
      for (let start = 0; ; ) {
        const jobs = await queue.getJobs(states, start, start + BULK_CHUNK - 1);
        if (jobs.length === 0) break;
        let removedHere = 0;
        for (const job of jobs) {
          if (!job?.id?.startsWith(prefix)) continue;
          // An active job cannot be removed (its worker holds the lock); it is dropped at the gate.
          if (await job.remove().then(() => true, () => false)) removedHere++;
        }
        removed += removedHere;
        // Removal shifts later jobs into the page just read.
        start += jobs.length - removedHere;
        if (jobs.length < BULK_CHUNK) break;
      }
    }
    return removed;
  }

  all(): Queue[] {
    return this.steps.names.map((name) => this.queue(name));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
