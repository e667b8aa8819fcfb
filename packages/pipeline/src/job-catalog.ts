import { categoryKey } from '@tapir/core';
import { z } from 'zod';
import type { ChunkJob, ItemJob, ItemRef } from './steps/step-definition';

/**
 * The shapes of job data and the ids jobs are added under. Job data holds ids only; every input
 * is read from PostgreSQL when the job runs. Which steps exist is the registry's business
 * (steps/registry.ts).
 */
export const itemJobSchema: z.ZodType<ItemRef> = z.object({
  campaignId: z.string().min(1),
  itemId: z.number().int().positive(),
  round: z.number().int().positive(),
});

/**
 * Items per chunk job. A BullMQ job costs its producer, its worker and Redis about 300 us of CPU
 * whatever it carries (docs/benchmarks.md), as much as a third of the LLM request it wraps at
 * zero latency; a chunk pays that once for its items, and still retries only what is not done.
 */
export const ITEM_CHUNK_SIZE = 8;

/**
 * The step for every due item whose id falls in [chunk * ITEM_CHUNK_SIZE, (chunk + 1) *
 * ITEM_CHUNK_SIZE): which items those are is read from PostgreSQL when the job runs
 * (item-batches.ts), so adding the same chunk again while it waits changes nothing and loses nothing.
 */
export const chunkJobSchema: z.ZodType<ChunkJob> = z.object({
  campaignId: z.string().min(1),
  chunk: z.number().int().nonnegative(),
  round: z.number().int().positive(),
});

/** A chunked step's job: a chunk of seed items, or a single item (an expansion's). */
export const itemOrChunkJobSchema: z.ZodType<ItemJob> = z.union([itemJobSchema, chunkJobSchema]);

export const roundJobSchema = z.object({ campaignId: z.string().min(1), round: z.number().int().positive() });

export function isChunkJob(data: object): data is ChunkJob {
  return 'chunk' in data;
}

/** The chunk an item id belongs to; ids are global, so two campaigns' chunks differ by campaign in the job id. */
export function chunkOf(itemId: number): number {
  return Math.floor(itemId / ITEM_CHUNK_SIZE);
}

export function queueName(step: string, prefix = 'tapir'): string {
  return `${prefix}-${step}`;
}

/** Deterministic: the same step of the same item (or chunk, or expansion) in the same round is always the same job. */
export function jobId(
  step: string,
  data: { campaignId: string; round: number; itemId?: number; chunk?: number; expansionId?: number; category?: string },
): string {
  const item = data.itemId === undefined ? '' : `.i${data.itemId}`;
  // Letters and digits only: category names have spaces and punctuation that job ids must not carry.
  const category = data.category === undefined ? '' : `.k${categoryKey(data.category)}`;
  const chunk = data.chunk === undefined ? '' : `.c${data.chunk}`;
  const expansion = data.expansionId === undefined ? '' : `.x${data.expansionId}`;
  return `${data.campaignId}.${step}.r${data.round}${item}${chunk}${expansion}${category}`;
}
