import type { PlanSummary } from '@tapir/core';
import { expansions, rounds, transition, transitionSources } from '@tapir/db';
import { and, eq, sql } from 'drizzle-orm';
import { completeRoundIfDone } from '../progression';
import type { PipelineServices } from '../services';
import { countStaged } from '../planner/plan-counts';
import { drawRound } from '../planner/plan-draw';
import { insertPlanRows } from '../planner/plan-rows';
import { enqueuePendingExpansions } from './expand';
import { enqueuePendingSyntheses } from './synthesize';
import { synthesisOutcomes } from '../planner/plan-synthesis';
import { enqueuePlanIfReady, PLAN_QUEUE } from './plan-barrier';
import { enqueuePendingRefinements, REFINE_BACKLOG } from './refine';
import { DEFAULT_RETRY, defineJobStep, type RoundContext } from './step-definition';

type PlanJob = { campaignId: string; round: number };

const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 1000);

/**
 * The barrier step, once per round: rate every measured item by the configured difficulty
 * signal, keep the hard ones plus easy ones up to the round's hard share, fill short categories
 * by expansion (a pass ends this job; the round is planned again when the new items are
 * judged), rebalance to the target mix, cut into stages, and write the plan in one transaction.
 * A second run finds the round planned and only re-enqueues the refinements still missing.
 */
export async function processPlan(s: PipelineServices, job: PlanJob, closing?: AbortSignal): Promise<void> {
  const campaign = await s.registry.get(job.campaignId);
  const { config } = campaign;
  // A halted (or finished) campaign stays as it is: resume enqueues the plan again.
  if (!(await transition(s.db, job.campaignId, transitionSources('planner', 'planning'), 'planning'))) return;

  const outcome = await s.db.transaction(async (tx): Promise<'planned' | 'expanding'> => {
    const locked = await tx.execute<{ planned_at: Date | null; expansion_passes: number }>(
      sql`select planned_at, expansion_passes from ${rounds} where campaign_id = ${job.campaignId} and round = ${job.round} for update`,
    );
    if (locked.rows[0]?.planned_at) return 'planned';
    const passesDone = Number(locked.rows[0]?.expansion_passes ?? 0);

    const draw = await drawRound(tx, config, job.campaignId, job.round, passesDone);
    if (draw.outcome === 'expanding') return 'expanding';
    const { stages, report } = draw;

    await insertPlanRows(tx, job.campaignId, job.round, stages);

    const expansionOutcomes = await tx
      .select({ status: expansions.status, n: sql<number>`count(*)::int` })
      .from(expansions)
      .where(and(eq(expansions.campaignId, job.campaignId), eq(expansions.round, job.round)))
      .groupBy(expansions.status);
    const counts = countStaged(stages);
    const summary: PlanSummary = {
      signal: config.difficulty.signal,
      measured: report.measured,
      unusable: Object.values(report.unusableReasons).reduce((a, b) => a + b, 0),
      unusableReasons: report.unusableReasons,
      hard: report.hard,
      easyKept: report.easyKept,
      hardShareTarget: report.hardShareTarget,
      // Measured on the planned rows, which is what the export holds (issue 19).
      hardShareAchieved: share(counts.plannedHard, counts.planned),
      hardShareExported: share(counts.plannedHard, counts.planned),
      hardSharePool: Math.round(report.hardSharePool * 1000) / 1000,
      hardRowsWanted: report.hardRowsWanted,
      hardShareLimits: report.hardShareLimits,
      sizeFrom: report.sizeFrom,
      droppedBySelection: report.droppedBySelection,
      // The plan draws from the selection, each item once at repeatIndex 0.
      droppedByRebalance: report.selected - counts.plannedUnique,
      targetSize: report.targetSize,
      planned: counts.planned,
      plannedUnique: counts.plannedUnique,
      plannedHard: counts.plannedHard,
      plannedExpanded: counts.plannedExpanded,
      plannedSynthesized: counts.plannedSynthesized,
      fill: counts.fill,
      synthesis: await synthesisOutcomes(tx, job.campaignId, job.round),
      repeats: counts.repeats,
      shortfall: report.shortfall,
      capped: report.capped,
      quotas: report.quotas,
      expansion: {
        passes: passesDone,
        deficitsLeft: report.deficitsLeft,
        outcomes: Object.fromEntries(expansionOutcomes.map((o) => [o.status, Number(o.n)])),
      },
      mixBefore: report.mixBefore,
      mixSelected: report.mixSelected,
      mixAfter: counts.mixAfter,
      stageSizes: counts.stageSizes,
      sources: Object.fromEntries(
        [...new Set([...Object.keys(report.sources), ...Object.keys(counts.bySource)])].map((name) => {
          const pool = report.sources[name] ?? { items: 0, hardItems: 0 };
          const rows = counts.bySource[name] ?? { planned: 0, plannedHard: 0 };
          return [name, { items: pool.items, hardItems: pool.hardItems, planned: rows.planned, plannedHard: rows.plannedHard, ...(pool.wanted !== undefined ? { wanted: pool.wanted } : {}) }];
        }),
      ),
      sourceLimits: report.sourceLimits,
    };
    await tx
      .update(rounds)
      .set({ planSummary: summary, plannedAt: new Date() })
      .where(and(eq(rounds.campaignId, job.campaignId), eq(rounds.round, job.round)));
    await s.hooks?.beforePlanCommit?.(job.campaignId, job.round);
    return 'planned';
  });

  // Cancelled or paused while the plan was drawn: the plan stays committed, nothing is fed
  // (resume reconciles and feeds it).
  if (outcome === 'expanding') {
    if (!(await transition(s.db, job.campaignId, transitionSources('planner', 'expanding'), 'expanding'))) return;
    await enqueuePendingSyntheses(s, job.campaignId, job.round);
    await enqueuePendingExpansions(s, job.campaignId, job.round);
    return;
  }
  if (!(await transition(s.db, job.campaignId, transitionSources('planner', 'refining'), 'refining'))) return;
  await enqueuePendingRefinements(s, job.campaignId, job.round, { backlog: REFINE_BACKLOG, ...(closing ? { closing } : {}) });
  await completeRoundIfDone(s, job.campaignId, job.round);
}


async function failPlan(s: PipelineServices, job: PlanJob, reason: string): Promise<void> {
  await transition(s.db, job.campaignId, transitionSources('plan-failed', 'failed'), 'failed', `planning round ${job.round} failed: ${reason}`);
}

/**
 * Once per round, when nothing holds it: the plan (docs/method.md, steps 6 to 9). A plan job
 * keeps its slot while it feeds its round's refinements at the pace they finish, so a few slots
 * let other campaigns plan meanwhile.
 */
export const planStep = defineJobStep<PlanJob>({
  name: PLAN_QUEUE.name,
  label: 'plan',
  unit: 'job',
  phase: 'measure',
  schema: PLAN_QUEUE.schema,
  retry: DEFAULT_RETRY,
  concurrency: 4,
  perRound: false,

  process: processPlan,
  onFinalFailure: failPlan,

  async enqueueDue(s, ctx: RoundContext) {
    return (await enqueuePlanIfReady(s, ctx.campaignId, ctx.round)) ? 1 : 0;
  },

  progress: {
    columns: (ctx) => ({
      done: sql`(select count(*) from rounds where campaign_id = ${ctx.campaignId} and round = ${ctx.round} and planned_at is not null)`,
      failed: sql`(select count(*) from campaigns where id = ${ctx.campaignId} and status = 'failed')`,
      total: sql`1`,
    }),
  },
});
