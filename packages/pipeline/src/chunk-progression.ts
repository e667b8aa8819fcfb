import { signalNeeds } from './difficulty-signals';
import { chunkIds } from './item-chunks';
import type { ChunkedKind, ChunkJobData } from './job-catalog';
import { completeRoundIfDone } from './progression';
import type { PipelineServices } from './services';

/*
 * Whether every live seed item of a chunk has both answers (complete), and whether any of them
 * still waits for its judgment (due). Scalar subqueries with `limit 1`, unnamed, ids as a list:
 * see batched-statement.ts and item-chunks.ts for why.
 */
export const JUDGE_CHUNK_READY_SQL = `
  select coalesce(bool_and(
           coalesce((select true from answers a where a.item_id = i.id and a.kind = 'teacher' and a.round = 0 limit 1), false)
           and coalesce((select true from answers a where a.item_id = i.id and a.kind = 'student' and a.round = $3 limit 1), false)
         ), false) as complete,
         coalesce(bool_or(
           i.status = 'pending' and (select true from judgments j where j.item_id = i.id and j.round = $3 limit 1) is null
         ), false) as due
    from (select id, campaign_id, origin, status from items where id = any($2::int[]) offset 0) i
   where i.campaign_id = $1 and i.origin <> 'expanded' and i.status <> 'failed'`;

/**
 * Queues the judge for a chunk once both answers of every live item in it are stored. Only then:
 * a judge chunk job reads its members when it starts, so one queued earlier could have read a
 * part of the chunk and, still active, swallowed the add that was to bring the rest. Items only
 * ever gain answers or fail, so a chunk once complete stays complete, and of the teacher's and
 * the student's chunk jobs, whichever ends second (both probe after their writes committed) sees
 * it so; reconcile applies the same rule.
 */
export async function enqueueJudgeChunkIfComplete(s: PipelineServices, job: ChunkJobData): Promise<void> {
  const result = await s.db.$client.query<{ complete: boolean; due: boolean }>(JUDGE_CHUNK_READY_SQL, [job.campaignId, chunkIds(job.chunk), job.round]);
  const row = result.rows[0];
  if (row?.complete && row.due) await s.queues.add('judge', job);
}

/** The step after a chunk job whose every item is settled (done, or failed and recorded). */
export async function afterChunk(s: PipelineServices, kind: ChunkedKind, job: ChunkJobData, itemIds: readonly number[]): Promise<void> {
  if (kind === 'answer-teacher' || kind === 'answer-student') {
    if (signalNeeds((await s.registry.get(job.campaignId)).config).mfd) await enqueueJudgeChunkIfComplete(s, job);
  } else if (kind === 'refine' && itemIds.length === 0) {
    // The round may have been waiting only for refinements that this retry found already stored.
    await completeRoundIfDone(s, job.campaignId, job.round);
  }
}
