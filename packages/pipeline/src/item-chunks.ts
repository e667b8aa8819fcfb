import type { Db } from '@tapir/db';
import { chunkOf, ITEM_CHUNK_SIZE, type ChunkedKind, type ChunkJobData } from './job-catalog';

/**
 * Chunk jobs for a set of item ids: one per distinct chunk, in the order of first appearance.
 * Which items a chunk job then processes is read from PostgreSQL when it runs, so the ids only
 * choose the chunks.
 */
export function chunkJobs(campaignId: string, round: number, itemIds: Iterable<number>): ChunkJobData[] {
  const seen = new Set<number>();
  const jobs: ChunkJobData[] = [];
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

/*
 * Unnamed on purpose (see batched-statement.ts): a prepared statement keeps the generic plan it
 * made on a campaign's still-empty tables. The ids go as a list, not a range: on a table not yet
 * analyzed PostgreSQL guesses that a range, and the campaign, each hold 0.5% of rows, and ANDs
 * the two indexes, which reads every item of the campaign per chunk. The `offset 0` subquery
 * keeps the campaign's condition out of the index scan: eight primary-key lookups, then a filter
 * (test/statement-plans.test.ts).
 *
 * Items born of an expansion are left out: they appear while the round runs, possibly in the
 * range of a chunk job that has already read its members, so each is queued as its own job
 * (expand.ts, reconcile.ts) and only there.
 */
export const ITEM_MEMBERS_SQL = `
  select id from (select id, campaign_id, origin, status from items where id = any($2::int[]) offset 0) i
   where campaign_id = $1 and origin <> 'expanded' and status <> 'failed'
   order by id`;

/* Refinements are fixed when the round is planned, before any refine job exists. */
export const REFINE_MEMBERS_SQL = `
  select distinct item_id as id from plan_entries
   where campaign_id = $1 and round = $2 and refine_status = 'pending' and item_id >= $3 and item_id < $4
   order by item_id`;

/**
 * The items a chunk job runs its step for. Done steps are not filtered out here: the processors
 * skip what is stored and still take the step after it (a judge whose enqueue a crash lost, say),
 * exactly as a retry of a one-item job does.
 */
export async function chunkMembers(db: Db, kind: ChunkedKind, job: ChunkJobData): Promise<number[]> {
  const { first, end } = chunkRange(job.chunk);
  const [text, values] =
    kind === 'refine' ? [REFINE_MEMBERS_SQL, [job.campaignId, job.round, first, end]] : [ITEM_MEMBERS_SQL, [job.campaignId, chunkIds(job.chunk)]];
  const result = await db.$client.query<{ id: number }>(text, values);
  return result.rows.map((r) => r.id);
}
