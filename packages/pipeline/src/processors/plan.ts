import { createRng, rebalanceToTarget, selectByDifficulty, stageCurriculum } from '@tapir/core';
import { items, judgments, planEntries, rounds } from '@tapir/db';
import { and, eq, sql } from 'drizzle-orm';
import type { JobData } from '../job-catalog';
import { completeRoundIfDone, setCampaignStatus } from '../progression';
import type { PipelineServices } from '../services';

interface JudgedItem {
  itemId: number;
  category: string;
  mfd: number;
}

function countBy<T>(list: readonly T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of list) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}

const INSERT_CHUNK = 1000;

/**
 * The barrier step, once per round: select by MFD, rebalance to the target mix, cut into
 * stages, and write the whole plan in one transaction. A second run finds the round planned
 * and only re-enqueues the refinements still missing.
 */
export async function processPlan(s: PipelineServices, job: JobData<'plan'>): Promise<void> {
  const campaign = await s.registry.get(job.campaignId);
  const { config } = campaign;
  await setCampaignStatus(s, job.campaignId, 'planning');

  await s.db.transaction(async (tx) => {
    const locked = await tx.execute<{ planned_at: Date | null }>(
      sql`select planned_at from ${rounds} where campaign_id = ${job.campaignId} and round = ${job.round} for update`,
    );
    if (locked.rows[0]?.planned_at) return;

    const judged: JudgedItem[] = await tx
      .select({ itemId: items.id, category: sql<string>`coalesce(${items.category}, 'Others')`, mfd: judgments.mfd })
      .from(items)
      .innerJoin(judgments, and(eq(judgments.itemId, items.id), eq(judgments.round, job.round)))
      .where(and(eq(items.campaignId, job.campaignId), eq(items.status, 'judged')))
      .orderBy(items.id);

    const rng = createRng(`${config.seed}:round-${job.round}`);
    const selection = selectByDifficulty(judged, config.selection, rng.fork('select'));
    const targetSize = config.rebalance.targetSize ?? selection.selected.length;
    const rebalanced = rebalanceToTarget(selection.selected, config.taxonomy.categories, targetSize, rng.fork('rebalance'), {
      maxRepeats: config.rebalance.maxRepeats,
    });
    const staged = stageCurriculum(
      rebalanced.entries.map((e) => ({ ...e.item, repeatIndex: e.repeatIndex })),
      config.curriculum.stages,
    );

    for (let i = 0; i < staged.length; i += INSERT_CHUNK) {
      await tx
        .insert(planEntries)
        .values(
          staged.slice(i, i + INSERT_CHUNK).map((e) => ({
            campaignId: job.campaignId,
            round: job.round,
            itemId: e.itemId,
            repeatIndex: e.repeatIndex,
            category: e.category,
            mfd: e.mfd,
            stage: e.stage,
            position: e.position,
          })),
        )
        .onConflictDoNothing();
    }

    const plannedUnique = new Set(staged.map((e) => e.itemId));
    const selectedIds = new Set(selection.selected.map((e) => e.itemId));
    const summary = {
      judged: judged.length,
      hard: selection.hard.length,
      easyKept: selection.easyKept.length,
      droppedBySelection: selection.dropped.length,
      droppedByRebalance: [...selectedIds].filter((id) => !plannedUnique.has(id)).length,
      targetSize,
      planned: staged.length,
      plannedUnique: plannedUnique.size,
      repeats: staged.filter((e) => e.repeatIndex > 0).length,
      shortfall: rebalanced.shortfall,
      capped: rebalanced.capped,
      quotas: rebalanced.quotas,
      mixBefore: countBy(judged, (e) => e.category),
      mixSelected: countBy(selection.selected, (e) => e.category),
      mixAfter: countBy(staged, (e) => e.category),
      stageSizes: Array.from({ length: config.curriculum.stages }, (_, k) => staged.filter((e) => e.stage === k + 1).length),
    };
    await tx
      .update(rounds)
      .set({ planSummary: summary, plannedAt: new Date() })
      .where(and(eq(rounds.campaignId, job.campaignId), eq(rounds.round, job.round)));
  });

  await setCampaignStatus(s, job.campaignId, 'refining');
  const pending = await s.db
    .selectDistinct({ itemId: planEntries.itemId })
    .from(planEntries)
    .where(
      and(eq(planEntries.campaignId, job.campaignId), eq(planEntries.round, job.round), eq(planEntries.refineStatus, 'pending')),
    );
  await s.queues.addBulk(
    'refine',
    pending.map((p) => ({ campaignId: job.campaignId, itemId: p.itemId, round: job.round })),
  );
  await completeRoundIfDone(s, job.campaignId, job.round);
}
