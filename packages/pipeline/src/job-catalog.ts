import { z } from 'zod';

/**
 * The typed job catalog: one queue per step, each with the schema of its data. Job data holds
 * ids only; every input is read from PostgreSQL when the job runs.
 */
const itemJob = z.object({ campaignId: z.string().min(1), itemId: z.number().int().positive(), round: z.number().int().positive() });

export const JOB_SCHEMAS = {
  classify: itemJob,
  'answer-teacher': itemJob,
  'answer-student': itemJob,
  judge: itemJob,
  plan: z.object({ campaignId: z.string().min(1), round: z.number().int().positive() }),
  refine: itemJob,
  /** The student's log-probabilities of the teacher's answer, with and without the instruction (IFD). */
  'score-ifd': itemJob,
  /** One request to the teacher for a new instruction like a hard seed (an `expansions` row). */
  expand: z.object({ campaignId: z.string().min(1), round: z.number().int().positive(), expansionId: z.number().int().positive() }),
} as const;

export type JobKind = keyof typeof JOB_SCHEMAS;
export type JobData<K extends JobKind> = z.infer<(typeof JOB_SCHEMAS)[K]>;
export type ItemJobData = z.infer<typeof itemJob>;

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

/** Deterministic: the same step of the same item in the same round is always the same job. */
export function jobId(kind: JobKind, data: { campaignId: string; round: number; itemId?: number; expansionId?: number }): string {
  const item = data.itemId === undefined ? '' : `.i${data.itemId}`;
  const expansion = data.expansionId === undefined ? '' : `.x${data.expansionId}`;
  return `${data.campaignId}.${kind}.r${data.round}${item}${expansion}`;
}
