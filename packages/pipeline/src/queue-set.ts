import { Queue, type JobsOptions, type JobType } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_KINDS, jobId, queueName, type JobData, type JobKind } from './job-catalog';

/**
 * Retries belong to BullMQ (the SDKs' own retries are off). Finished jobs are removed at once:
 * PostgreSQL holds the results, and Redis must not fill up with payloads of finished work.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'tapir' },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

const BULK_CHUNK = 1000;

export class QueueSet {
  private readonly queues = new Map<JobKind, Queue>();

  constructor(
    private readonly connection: Redis,
    readonly prefix = 'tapir',
  ) {}

  queue(kind: JobKind): Queue {
    let queue = this.queues.get(kind);
    if (!queue) {
      queue = new Queue(queueName(kind, this.prefix), { connection: this.connection, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queue.on('error', () => undefined);
      this.queues.set(kind, queue);
    }
    return queue;
  }

  async add<K extends JobKind>(kind: K, data: JobData<K>): Promise<void> {
    await this.queue(kind).add(kind, data, { jobId: jobId(kind, data) });
  }

  /** Adds many jobs in chunks; ids already waiting or active are ignored by BullMQ. */
  async addBulk<K extends JobKind>(kind: K, data: readonly JobData<K>[]): Promise<void> {
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
  private async removeOrphans(kind: JobKind, ids: readonly string[]): Promise<void> {
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
    return JOB_KINDS.map((kind) => this.queue(kind));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
