/** What the campaign page needs of `tapir status --json` to project the spend. */
export interface ProjectionInput {
  steps: readonly { done: number; failed: number; total: number }[];
  llm: readonly { role: string; costUsd: number }[];
  budget: { maxUsd: number | null; spentUsd: number };
  /** The campaign's status: a completed round projects what it spent. */
  status: string;
}

export interface SpendProjection {
  spentUsd: number;
  /** Share of the known work settled (done or failed), 0..1; null when nothing is known yet. */
  workDone: number | null;
  /** Spend at completion at the cost per unit of work so far; null when nothing is done yet. */
  projectedUsd: number | null;
  budgetUsd: number | null;
  /** projectedUsd > budgetUsd: the campaign will pause before it finishes. */
  overBudget: boolean;
  /** Per role, spent and projected on the same share of work. */
  roles: { role: string; spentUsd: number; projectedUsd: number | null }[];
}

const cents = (usd: number) => Math.round(usd * 1e6) / 1e6;

/**
 * Projects the spend to the end of the round: what was spent, divided by the share of the known
 * work that is settled. "Known work" is the steps' totals as they stand; steps whose totals grow
 * later (refinement once the plan exists, expansion) make the projection rise when they appear,
 * which the page says beside the figure.
 */
export function projectSpend(input: ProjectionInput): SpendProjection {
  const total = input.steps.reduce((a, s) => a + s.total, 0);
  const settled = input.steps.reduce((a, s) => a + Math.min(s.total, s.done + s.failed), 0);
  const finished = input.status === 'completed';
  const workDone = finished ? 1 : total > 0 ? settled / total : null;
  const scale = workDone !== null && workDone > 0 ? 1 / workDone : null;
  const spentUsd = cents(input.budget.spentUsd);
  const projectedUsd = scale === null ? null : cents(spentUsd * scale);
  return {
    spentUsd,
    workDone,
    projectedUsd,
    budgetUsd: input.budget.maxUsd,
    overBudget: projectedUsd !== null && input.budget.maxUsd !== null && projectedUsd > input.budget.maxUsd,
    roles: input.llm.map((u) => ({ role: u.role, spentUsd: cents(u.costUsd), projectedUsd: scale === null ? null : cents(u.costUsd * scale) })),
  };
}
