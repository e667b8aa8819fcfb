import { ITEM_MEMBERS, runQuery, type Db } from '@tapir/db';
import { chunkOf, ITEM_CHUNK_SIZE } from './job-catalog';
import type { ChunkJob, ItemBatch, ItemJob } from './steps/step-definition';

/**
 * Chunk jobs for a set of item ids: one per distinct chunk, in the order of first appearance.
 * Which items a chunk job then processes is read from PostgreSQL when it runs, so the ids only
 * choose the chunks.
 */
export function chunkJobs(campaignId: string, round: number, itemIds: Iterable<number>): ChunkJob[] {
  const seen = new Set<number>();
  const jobs: ChunkJob[] = [];
  for (const id of itemIds) {
    const chunk = chunkOf(id);
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    jobs.push({ campaignId, chunk, round });
  }
  return jobs;
}

/** The item ids [first, end) that a chunk covers. */
export function chunkRange(chunk: number): { first: number; end: number } {
  return { first: chunk * ITEM_CHUNK_SIZE, end: (chunk + 1) * ITEM_CHUNK_SIZE };
}

/**
 * The ids of a page (ascending) whose chunks it holds whole, and the keyset position after them.
 * A full page's last chunk may continue in the next page, so it is left for that page, unless it
 * is the page's only chunk (a page shorter than a chunk): then it is taken, and the next page
 * starts after its range, which the chunk job covers by reading its members itself.
 */
export function completeChunks(pageIds: readonly number[], pageFull: boolean): { ids: number[]; after: number } {
  const last = pageIds[pageIds.length - 1]!;
  if (!pageFull) return { ids: [...pageIds], after: last };
  const lastChunk = chunkOf(last);
  const held = pageIds.findIndex((id) => chunkOf(id) === lastChunk);
  if (held === 0) return { ids: [...pageIds], after: chunkRange(lastChunk).end - 1 };
  return { ids: pageIds.slice(0, held), after: pageIds[held - 1]! };
}

/** The item ids a chunk covers, for `id = any($n::int[])`. */
export function chunkIds(chunk: number): number[] {
  const { first, end } = chunkRange(chunk);
  return Array.from({ length: end - first }, (_, i) => first + i);
}

/** The live seed items of a chunk, read when its job runs: the default members of a chunk job. */
export async function seedChunkMembers(db: Db, job: ChunkJob): Promise<number[]> {
  return (await runQuery(db, ITEM_MEMBERS, [job.campaignId, chunkIds(job.chunk)])).map((r) => r.id);
}

/** An item due for a step, as reconcile finds it. */
export interface DueItem {
  id: number;
  /** Born of an expansion: travels as its own job, never in a chunk (ITEM_MEMBERS_SQL). */
  expanded: boolean;
}

/** The jobs that carry due items: seed items by chunk (when the step is chunked), every other item on its own. */
export function itemStepJobs(campaignId: string, round: number, due: readonly DueItem[], chunked: boolean): ItemJob[] {
  const single = (id: number): ItemJob => ({ campaignId, itemId: id, round });
  if (!chunked) return due.map((d) => single(d.id));
  return [
    ...chunkJobs(campaignId, round, due.filter((d) => !d.expanded).map((d) => d.id)),
    ...due.filter((d) => d.expanded).map((d) => single(d.id)),
  ];
}

/** The job of another step for the same batch: the same chunk, or the same single item. */
export function sameBatchJob(batch: ItemBatch): ItemJob {
  if (batch.chunk !== undefined) return { campaignId: batch.campaignId, chunk: batch.chunk, round: batch.round };
  return { campaignId: batch.campaignId, itemId: batch.itemIds[0]!, round: batch.round };
}

/**
 * The item ids a batch's readiness probes look at, and whether they are a seed chunk (whose
 * expansion-born items are not its members). A chunk is judged on all its live seed items, not
 * only those its job read, since the probe asks whether the chunk as a whole is ready.
 */
export function batchScope(batch: ItemBatch): { ids: number[]; seedChunk: boolean } {
  return batch.chunk !== undefined ? { ids: chunkIds(batch.chunk), seedChunk: true } : { ids: [...batch.itemIds], seedChunk: false };
}
