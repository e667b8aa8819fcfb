import { campaigns, rounds } from '@tapir/db';
import { and, eq, sql } from 'drizzle-orm';
import { signalNeeds } from './difficulty-signals';
import { chunkJobs } from './item-chunks';
import { chunkOf } from './job-catalog';
import { enqueuePendingExpansions, enqueuePendingRefinements } from './processors/plan';
import { completeRoundIfDone, enqueuePlanIfReady, markMeasuredIfComplete } from './progression';
import type { PipelineServices } from './services';

export interface ReconcileCounts {
  classify: number;
  answerTeacher: number;
  answerStudent: number;
  judge: number;
  scoreIfd: number;
  expand: number;
  plan: number;
  refine: number;
}

/**
 * Enqueues every job that PostgreSQL says is still due for the campaign's current round. It is
 * how a run starts and how a lost queue (Redis flushed or restarted) is rebuilt; deterministic
 * job ids make it safe to call at any time.
 */
export async function reconcileCampaign(s: PipelineServices, campaignId: string): Promise<ReconcileCounts> {
  const [campaign] = await s.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign) throw new Error(`campaign ${campaignId} does not exist`);
  const round = campaign.currentRound;
  const counts: ReconcileCounts = { classify: 0, answerTeacher: 0, answerStudent: 0, judge: 0, scoreIfd: 0, expand: 0, plan: 0, refine: 0 };

  const [roundRow] = await s.db
    .select()
    .from(rounds)
    .where(and(eq(rounds.campaignId, campaignId), eq(rounds.round, round)));
  if (roundRow?.completedAt) return counts;
  if (campaign.status === 'paused' || campaign.status === 'cancelled') return counts;
  // A job that failed in Redis without its failure reaching PostgreSQL (e.g. the database was
  // down at that moment) would block re-adding its id; PostgreSQL says what is still due.
  await s.queues.removeCampaignJobs(campaignId, ['failed']);

  if (!roundRow?.plannedAt) {
    const needs = signalNeeds((await s.registry.get(campaignId)).config);
    const due = await s.db.execute<{ id: number; expanded: boolean; classify: boolean; teacher: boolean; student: boolean; judge: boolean; ifd: boolean }>(sql`
      select i.id, i.origin = 'expanded' as expanded,
             i.category is null as classify,
             t.id is null as teacher,
             ${needs.mfd} and st.id is null as student,
             ${needs.mfd} and (i.status = 'pending' and t.id is not null and st.id is not null
               and not exists (select 1 from judgments j where j.item_id = i.id and j.round = ${round})) as judge,
             ${needs.ifd} and (i.status = 'pending' and t.id is not null
               and not exists (select 1 from ifd_scores f where f.item_id = i.id and f.round = ${round})) as ifd
        from items i
        left join answers t on t.item_id = i.id and t.kind = 'teacher' and t.round = 0
        left join answers st on st.item_id = i.id and st.kind = 'student' and st.round = ${round}
       where i.campaign_id = ${campaignId} and i.status <> 'failed'
         and (i.category is null or i.status = 'pending')
       order by i.id`);
    const job = (id: number) => ({ campaignId, itemId: id, round });
    const pendingItems = due.rows;
    const classify = pendingItems.filter((r) => r.classify);
    const teacher = pendingItems.filter((r) => r.teacher);
    const student = pendingItems.filter((r) => r.student);
    const judge = pendingItems.filter((r) => r.judge);
    const ifd = pendingItems.filter((r) => r.ifd).map((r) => job(r.id));
    // Seed items go in chunks; an expansion's item keeps the one-item job expand.ts gave it.
    const chunked = (rows: typeof pendingItems) => [
      ...chunkJobs(campaignId, round, rows.filter((r) => !r.expanded).map((r) => r.id)),
      ...rows.filter((r) => r.expanded).map((r) => job(r.id)),
    ];
    await s.queues.addBulk('classify', chunked(classify));
    await s.queues.addBulk('answer-teacher', chunked(teacher));
    await s.queues.addBulk('answer-student', chunked(student));
    // A seed chunk's judge only once every live item in it has both answers (chunk-progression.ts);
    // until then the answer chunk jobs added above queue it when they end.
    const unanswered = new Set(pendingItems.filter((r) => !r.expanded && (r.teacher || r.student)).map((r) => chunkOf(r.id)));
    await s.queues.addBulk('judge', chunked(judge.filter((r) => r.expanded || !unanswered.has(chunkOf(r.id)))));
    await s.queues.addBulk('score-ifd', ifd);
    const expand = await enqueuePendingExpansions(s, campaignId, round);
    Object.assign(counts, {
      classify: classify.length,
      answerTeacher: teacher.length,
      answerStudent: student.length,
      judge: judge.length,
      scoreIfd: ifd.length,
      expand,
    });
    // A measured item whose status update was lost between its two signals' statements.
    for (const r of pendingItems) if (!r.classify && !r.teacher && !r.student && !r.judge && !r.ifd) await markMeasuredIfComplete(s, r.id, round, needs);
    // The barrier probe decides; it is cheap and safe at any time.
    await enqueuePlanIfReady(s, campaignId, round);
    if (pendingItems.length === 0 && expand === 0) counts.plan = 1;
    return counts;
  }

  counts.refine = await enqueuePendingRefinements(s, campaignId, round);
  if (counts.refine === 0) await completeRoundIfDone(s, campaignId, round);
  return counts;
}
