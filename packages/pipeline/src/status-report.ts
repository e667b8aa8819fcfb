import type { CategoryFill } from '@tapir/core';
import type { ConversationSummary } from './import-pool';
import { importedSourceOrder, itemsBySource, sourceStatuses, type SourceStatus } from './source-report';
import { cleanCounts, type CleanCounts } from './clean-counts';
import { campaignConfigSchema, mfdHistogram, roundLimits, type PlanSummary } from '@tapir/core';
import type { Db } from '@tapir/db';
import { sql } from 'drizzle-orm';
import { ledgerUsage, type RoleUsage } from './ledger-usage';
import { unpricedWarnings } from './price-coverage';
import { campaignProgress, type StepProgress } from './progress';
import { roundMeasurements, type RoundMeasurement } from './round-measurements';
import { defaultStepRegistry } from './steps/registry';
import type { StepRegistry } from './steps/step-registry';

export interface FailureGroup {
  step: string;
  reason: string;
  count: number;
  sampleItemIds: number[];
}

/**
 * The current round's plan in numbers. The keys come in the order `tapir status --json` has
 * always printed them, which was jsonb's own (by length, then bytewise); `judged` is `measured`
 * under the name this document gave it first.
 */
export interface PlanSelection {
  hard: number;
  judged: number;
  planned: number;
  repeats: number;
  easyKept: number;
  measured: number;
  unusable: number;
  shortfall: number;
  targetSize: number;
  plannedHard: number;
  plannedUnique: number;
  hardShareTarget: number;
  plannedExpanded: number;
  hardShareAchieved: number;
  droppedByRebalance: number;
  droppedBySelection: number;
  /**
   * Rounds planned since issue 19 only (older rounds did not record them, and their status reads
   * as it always did): the hard share of the planned rows, of the rated pool, and what kept the
   * round from its target (empty when it met it).
   */
  hardShareExported?: number;
  hardSharePool?: number;
  limitedBy?: string[];
}

function planSelection(plan: PlanSummary): PlanSelection {
  return {
    hard: plan.hard,
    judged: plan.measured,
    planned: plan.planned,
    repeats: plan.repeats,
    easyKept: plan.easyKept,
    measured: plan.measured,
    unusable: plan.unusable,
    shortfall: plan.shortfall,
    targetSize: plan.targetSize,
    plannedHard: plan.plannedHard,
    plannedUnique: plan.plannedUnique,
    hardShareTarget: plan.hardShareTarget,
    plannedExpanded: plan.plannedExpanded,
    hardShareAchieved: plan.hardShareAchieved,
    droppedByRebalance: plan.droppedByRebalance,
    droppedBySelection: plan.droppedBySelection,
    ...(plan.hardShareExported === undefined
      ? {}
      : { hardShareExported: plan.hardShareExported, hardSharePool: plan.hardSharePool ?? 0, limitedBy: roundLimits(plan) }),
  };
}

/** The `tapir status --json` document; its shape is documented in the README. */
export interface CampaignStatus {
  campaign: {
    id: string;
    name: string;
    status: string;
    message: string | null;
    round: number;
    createdAt: string;
    configHash: string;
    seed: number;
  };
  /** `failed` leaves out the items the clean step dropped: they are counted under `clean`. */
  items: {
    total: number;
    duplicatesSkipped: number;
    badRows: number;
    pending: number;
    judged: number;
    failed: number;
    /** System prompts and follow-up turns at import, and what import.turns cut (campaigns since issue 16). */
    conversations?: ConversationSummary;
  };
  /** The clean step's verdicts: items kept, dropped (by reason, and contaminated ones by benchmark), not yet judged. */
  clean: CleanCounts;
  steps: Omit<StepProgress, 'label'>[];
  failures: FailureGroup[];
  mfd: { count: number; mean: number | null; histogram: { from: number; to: number; count: number }[] };
  categories: {
    before: Record<string, number>;
    selected: Record<string, number>;
    after: Record<string, number>;
    quotas: Record<string, number>;
    /** How each category's planned rows were filled (seeds, expansion, synthesis, repeats); rounds planned since issue 16. */
    fill?: Record<string, CategoryFill>;
  };
  selection: PlanSelection | null;
  /** Per source in import order: items, the round's hard share, planned and wanted rows (issue 16). */
  sources: SourceStatus[];
  stages: { stage: number; count: number; mfdMin: number | null; mfdMax: number | null }[];
  llm: RoleUsage[];
  budget: { maxUsd: number | null; maxTokens: number | null; spentUsd: number; spentTokens: number; inFlightUsd: number };
  /** Every round so far: its student, what it measured and what was planned. */
  rounds: RoundMeasurement[];
  /** The campaign's rounds.count and difficulty.signal. */
  plan: { rounds: number; signal: string };
  /**
   * Things the user should know that are not errors, e.g. a model counted at $0 for want of a
   * price. Absent when there are none, so that the document of a campaign without any is as before.
   */
  warnings?: string[];
}

const withWarnings = (warnings: string[]) => (warnings.length > 0 ? { warnings } : {});
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export async function campaignStatus(db: Db, campaignId: string, steps: StepRegistry = defaultStepRegistry): Promise<CampaignStatus | undefined> {
  const progress = await campaignProgress(db, campaignId, steps);
  if (!progress) return undefined;
  const round = progress.round;
  const [head] = (
    await db.execute<Record<string, unknown>>(sql`
      select c.id, c.name, c.status, c.message, c.current_round, c.created_at, c.config_hash, c.seed, c.import_summary, c.config,
             c.budget_usd, c.budget_tokens, c.reserved_usd,
             r.plan_summary
        from campaigns c left join rounds r on r.campaign_id = c.id and r.round = c.current_round
       where c.id = ${campaignId}`)
  ).rows;
  const statusCounts = (
    await db.execute<{ status: string; n: string; dups: string }>(
      sql`select status, count(*) as n, sum(duplicate_count) as dups from items
            where campaign_id = ${campaignId} and clean_verdict is distinct from 'dropped' group by status`,
    )
  ).rows;
  const failures = (
    await db.execute<{ step: string; reason: string; n: string; ids: number[] }>(sql`
      select fail_step as step, fail_reason as reason, count(*) as n, (array_agg(id order by id))[1:5] as ids
        from items where campaign_id = ${campaignId} and fail_step is not null
       group by fail_step, fail_reason order by count(*) desc, fail_step, fail_reason limit 50`)
  ).rows;
  const mixBefore = (
    await db.execute<{ category: string | null; n: string }>(
      // Ordered: the categories become an object whose key order `tapir status --json` shows.
      sql`select category, count(*) as n from items where campaign_id = ${campaignId} and status <> 'failed' group by category order by category`,
    )
  ).rows;
  const stages = (
    await db.execute<{ stage: number; n: string; lo: number | null; hi: number | null }>(sql`
      select stage, count(*) as n, min(mfd) as lo, max(mfd) as hi from plan_entries
       where campaign_id = ${campaignId} and round = ${round} group by stage order by stage`)
  ).rows;
  const usage = await ledgerUsage(db, campaignId);
  const clean = await cleanCounts(db, campaignId);

  const config = campaignConfigSchema.parse(head?.config);
  const roundList = await roundMeasurements(db, campaignId, config);
  const plan = (head?.plan_summary ?? null) as PlanSummary | null;
  const importSummary = (head?.import_summary ?? {}) as Record<string, unknown>;
  const byStatus = Object.fromEntries(statusCounts.map((r) => [r.status, num(r.n)]));
  const sources = sourceStatuses(importedSourceOrder(head?.import_summary), await itemsBySource(db, campaignId), plan);

  return {
    campaign: {
      id: String(head?.id),
      name: String(head?.name),
      status: String(head?.status),
      message: (head?.message as string | null) ?? null,
      round,
      createdAt: new Date(head?.created_at as string).toISOString(),
      configHash: String(head?.config_hash),
      seed: num(head?.seed),
    },
    items: {
      total: progress.items,
      duplicatesSkipped: num(importSummary.duplicates),
      badRows: num(importSummary.badRows),
      pending: byStatus.pending ?? 0,
      judged: byStatus.judged ?? 0,
      failed: byStatus.failed ?? 0,
      ...(importSummary.conversations ? { conversations: importSummary.conversations as ConversationSummary } : {}),
    },
    clean,
    // The progress bars' labels are the CLI's; the status document keeps the shape it has always had.
    steps: progress.steps.map(({ step, done, failed, total }) => ({ step, done, failed, total })),
    failures: failures.map((f) => ({ step: f.step, reason: f.reason, count: num(f.n), sampleItemIds: f.ids })),
    // The current round's row of the per-round measurements: one grouped query serves both.
    mfd: roundList.find((r) => r.round === round)?.mfd ?? { count: 0, mean: null, histogram: mfdHistogram([]) },
    categories: {
      before: Object.fromEntries(mixBefore.map((r) => [r.category ?? '(unlabelled)', num(r.n)])),
      selected: plan?.mixSelected ?? {},
      after: plan?.mixAfter ?? {},
      quotas: plan?.quotas ?? {},
      ...(plan?.fill ? { fill: plan.fill } : {}),
    },
    selection: plan ? planSelection(plan) : null,
    // Per source: items, the round's hard share and planned rows (issue 16).
    sources,
    stages: stages.map((s) => ({ stage: s.stage, count: num(s.n), mfdMin: s.lo, mfdMax: s.hi })),
    llm: usage,
    budget: {
      maxUsd: head?.budget_usd === null || head?.budget_usd === undefined ? null : num(head.budget_usd),
      maxTokens: head?.budget_tokens === null || head?.budget_tokens === undefined ? null : num(head.budget_tokens),
      // From the ledger, not the running counters: exact even after a crash.
      spentUsd: Math.round(usage.reduce((a, u) => a + u.costUsd, 0) * 1e6) / 1e6,
      spentTokens: usage.reduce((a, u) => a + u.inputTokens + u.outputTokens, 0),
      inFlightUsd: Math.round(num(head?.reserved_usd) * 1e6) / 1e6,
    },
    rounds: roundList,
    plan: { rounds: config.rounds.count, signal: config.difficulty.signal },
    ...withWarnings(unpricedWarnings(config)),
  };
}
