import { z } from 'zod';

/**
 * The typed job catalog: one queue per step, each with the schema of its data. Job data holds
 * ids only; every input is read from PostgreSQL when the job runs.
 */
const itemJob = z.object({ campaignId: z.string().min(1), itemId: z.number().int().positive(), round: z.number().int().positive() });

/**
 * Items per chunk job. A BullMQ job costs its producer, its worker and Redis about 300 us of CPU
 * whatever it carries (docs/benchmarks.md), as much as a third of the LLM request it wraps at
 * zero latency; a chunk pays that once for its items, and still retries only what is not done.
 */
export const ITEM_CHUNK_SIZE = 8;

/**
 * The step for every due item whose id falls in [chunk * ITEM_CHUNK_SIZE, (chunk + 1) *
 * ITEM_CHUNK_SIZE): which items those are is read from PostgreSQL when the job runs (item-chunks.ts),
 * so adding the same chunk again while it waits changes nothing and loses nothing.
 */
const chunkJob = z.object({ campaignId: z.string().min(1), chunk: z.number().int().nonnegative(), round: z.number().int().positive() });

/** Steps queued per chunk of seed items by reconcile, the planner and the answers' chunks; a single item (an expansion's) is still its own job. */
const itemOrChunkJob = z.union([itemJob, chunkJob]);

export const JOB_SCHEMAS = {
  classify: itemOrChunkJob,
  'answer-teacher': itemOrChunkJob,
  'answer-student': itemOrChunkJob,
  judge: itemOrChunkJob,
  plan: z.object({ campaignId: z.string().min(1), round: z.number().int().positive() }),
  refine: itemOrChunkJob,
  /** The student's log-probabilities of the teacher's answer, with and without the instruction (IFD). */
  'score-ifd': itemJob,
  /** One request to the teacher for a new instruction like a hard seed (an `expansions` row). */
  expand: z.object({ campaignId: z.string().min(1), round: z.number().int().positive(), expansionId: z.number().int().positive() }),
} as const;

export type JobKind = keyof typeof JOB_SCHEMAS;
export type JobData<K extends JobKind> = z.infer<(typeof JOB_SCHEMAS)[K]>;
export type ItemJobData = z.infer<typeof itemJob>;
export type ChunkJobData = z.infer<typeof chunkJob>;

/** The steps whose jobs may carry a chunk of items. */
export type ChunkedKind = 'classify' | 'answer-teacher' | 'answer-student' | 'judge' | 'refine';
export const CHUNKED_KINDS: readonly ChunkedKind[] = ['classify', 'answer-teacher', 'answer-student', 'judge', 'refine'];

export function isChunkJob(data: object): data is ChunkJobData {
  return 'chunk' in data;
}

/** The chunk an item id belongs to; ids are global, so two campaigns' chunks differ by campaign in the job id. */
export function chunkOf(itemId: number): number {
  return Math.floor(itemId / ITEM_CHUNK_SIZE);
}

export const JOB_KINDS = Object.keys(JOB_SCHEMAS) as JobKind[];

/** Which model role a step calls; the plan step calls none. */
export const STEP_ROLE: Record<JobKind, 'teacher' | 'student' | 'judge' | null> = {
  classify: 'judge',
  'answer-teacher': 'teacher',
  'answer-student': 'student',
  judge: 'judge',
  plan: null,
  refine: 'teacher',
  'score-ifd': 'student',
  expand: 'teacher',
};

export function queueName(kind: JobKind, prefix = 'tapir'): string {
  return `${prefix}-${kind}`;
}

/** Deterministic: the same step of the same item (or chunk, or expansion) in the same round is always the same job. */
export function jobId(kind: JobKind, data: { campaignId: string; round: number; itemId?: number; chunk?: number; expansionId?: number }): string {
  const item = data.itemId === undefined ? '' : `.i${data.itemId}`;
  const chunk = data.chunk === undefined ? '' : `.c${data.chunk}`;
  const expansion = data.expansionId === undefined ? '' : `.x${data.expansionId}`;
  return `${data.campaignId}.${kind}.r${data.round}${item}${chunk}${expansion}`;
}
