import { sql } from 'drizzle-orm';
import type { Db } from '@tapir/db';

export interface StepProgress {
  step: 'classify' | 'answer-teacher' | 'answer-student' | 'judge' | 'score-ifd' | 'expand' | 'plan' | 'refine';
  done: number;
  failed: number;
  total: number;
}

export interface CampaignProgress {
  campaignId: string;
  status: string;
  message: string | null;
  round: number;
  items: number;
  steps: StepProgress[];
}

/**
 * Counts per step for the live progress bars, in three queries whatever the campaign size. Steps
 * the campaign does not use (the student answer and judge with IFD alone, IFD with MFD alone,
 * expansion when nothing was expanded) are left out.
 */
export async function campaignProgress(db: Db, campaignId: string): Promise<CampaignProgress | undefined> {
  const head = await db.execute<{ status: string; message: string | null; round: number; signal: string | null }>(
    sql`select status, message, current_round as round, config->'difficulty'->>'signal' as signal from campaigns where id = ${campaignId}`,
  );
  const campaign = head.rows[0];
  if (!campaign) return undefined;
  const round = campaign.round;
  const itemCounts = await db.execute<Record<string, string>>(sql`
    select count(*) as items,
           count(*) filter (where category is not null) as classified,
           count(*) filter (where fail_step = 'classify') as f_classify,
           count(*) filter (where fail_step = 'answer-teacher') as f_teacher,
           count(*) filter (where fail_step = 'answer-student') as f_student,
           count(*) filter (where fail_step = 'judge') as f_judge,
           count(*) filter (where fail_step = 'score-ifd') as f_ifd,
           (select count(*) from ifd_scores where campaign_id = ${campaignId} and round = ${round}) as ifd,
           (select count(*) from expansions where campaign_id = ${campaignId} and round = ${round}) as expansions,
           (select count(*) from expansions where campaign_id = ${campaignId} and round = ${round} and status <> 'pending') as expanded,
           (select count(*) from expansions where campaign_id = ${campaignId} and round = ${round} and status = 'failed') as f_expand,
           (select count(*) from answers where campaign_id = ${campaignId} and kind = 'teacher' and round = 0) as teacher,
           (select count(*) from answers where campaign_id = ${campaignId} and kind = 'student' and round = ${round}) as student,
           (select count(*) from judgments where campaign_id = ${campaignId} and round = ${round}) as judged
      from items where campaign_id = ${campaignId}`);
  const planCounts = await db.execute<Record<string, string | null>>(sql`
    select (select planned_at from rounds where campaign_id = ${campaignId} and round = ${round}) as planned_at,
           count(distinct item_id) as planned,
           count(distinct item_id) filter (where refine_status = 'done') as refined,
           count(distinct item_id) filter (where refine_status = 'failed') as refine_failed
      from plan_entries where campaign_id = ${campaignId} and round = ${round}`);
  const c = itemCounts.rows[0] ?? {};
  const p = planCounts.rows[0] ?? {};
  const n = (v: string | null | undefined) => Number(v ?? 0);
  const items = n(c.items);
  const answerFailed = n(c.f_teacher) + n(c.f_student);
  const signal = campaign.signal ?? 'mfd';
  const steps: StepProgress[] = [
    { step: 'classify', done: n(c.classified), failed: n(c.f_classify), total: items },
    { step: 'answer-teacher', done: n(c.teacher), failed: n(c.f_teacher), total: items },
  ];
  if (signal !== 'ifd') {
    steps.push(
      { step: 'answer-student', done: n(c.student), failed: n(c.f_student), total: items },
      { step: 'judge', done: n(c.judged), failed: n(c.f_judge), total: items - answerFailed - n(c.f_classify) },
    );
  }
  if (signal !== 'mfd') {
    steps.push({ step: 'score-ifd', done: n(c.ifd), failed: n(c.f_ifd), total: items - n(c.f_teacher) - n(c.f_classify) });
  }
  if (n(c.expansions) > 0) steps.push({ step: 'expand', done: n(c.expanded) - n(c.f_expand), failed: n(c.f_expand), total: n(c.expansions) });
  steps.push(
    { step: 'plan', done: p.planned_at ? 1 : 0, failed: campaign.status === 'failed' ? 1 : 0, total: 1 },
    { step: 'refine', done: n(p.refined), failed: n(p.refine_failed), total: n(p.planned) },
  );
  return { campaignId, status: campaign.status, message: campaign.message, round, items, steps };
}
