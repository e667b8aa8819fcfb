import { createHash } from 'node:crypto';
import type { CoalescedProbe } from '@tapir/db';
import type { RoundPhase, StepDefinition } from './step-definition';

const MAX_LABEL = 8;

/**
 * The steps a pipeline runs, in the order the CLI shows them. Everything that used to list steps
 * (the worker host, reconcile, progress, the plan barrier, round control) asks this instead; a
 * test may build a registry of its own with a toy step in it.
 */
export class StepRegistry {
  private readonly byName = new Map<string, StepDefinition>();
  /** The planner's barrier: no step has work left that the plan must wait for, and whether the round is planned. */
  readonly planBarrier: CoalescedProbe<[campaignId: string, round: number], { settled: boolean; planned: boolean }>;

  constructor(readonly steps: readonly StepDefinition[]) {
    for (const step of steps) {
      if (this.byName.has(step.name)) throw new Error(`step registry: two steps are named ${step.name}`);
      if (!/^[a-z][a-z0-9-]*$/.test(step.name)) throw new Error(`step registry: step name ${JSON.stringify(step.name)} must be lower-case words joined by '-'`);
      if (step.label.length > MAX_LABEL) throw new Error(`step registry: label ${JSON.stringify(step.label)} of ${step.name} is longer than ${MAX_LABEL}`);
      this.byName.set(step.name, step);
    }
    this.planBarrier = planBarrierProbe(steps);
  }

  get names(): string[] {
    return this.steps.map((s) => s.name);
  }

  get(name: string): StepDefinition {
    const step = this.byName.get(name);
    if (!step) throw new Error(`no step named ${name} (known: ${this.names.join(', ')})`);
    return step;
  }

  inPhase(phase: RoundPhase): StepDefinition[] {
    return this.steps.filter((s) => s.phase === phase);
  }

  /** Steps whose outcome belongs to one round's student. */
  get perRoundNames(): string[] {
    return this.steps.filter((s) => s.perRound).map((s) => s.name);
  }
}

/**
 * One prepared probe (shared by the jobs that ask at the same time): every step's "work left"
 * condition negated, each written once even when several steps share it. Its name carries a
 * digest of its text, since registries with other steps make other statements.
 */
function planBarrierProbe(steps: readonly StepDefinition[]): StepRegistry['planBarrier'] {
  const conditions = [...new Set(steps.map((s) => s.blocksPlan).filter((c): c is string => c !== undefined))];
  const settled = conditions.length === 0 ? 'true' : conditions.map((c) => `not ${c}`).join('\n         and ');
  const text = `
  select ${settled} as settled,
         coalesce((select planned_at is not null from rounds where campaign_id = $1 and round = $2), false) as planned`;
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return { name: `tapir_plan_barrier_${digest}`, text };
}
