/**
 * The campaign's status and the moves allowed between statuses. Every write of
 * `campaigns.status` goes through `transition` (campaign-transition.ts), which refuses a move
 * this table does not list, so that a job can never drag a halted or finished campaign back
 * into work: only the user's commands do that.
 *
 * It lives in @tapir/db, not in the pipeline, because the budget (in @tapir/ledger, below the
 * pipeline) pauses campaigns too, and both can import from here.
 */
import { CAMPAIGN_STATES, type CampaignState } from './schema/campaigns';

/** The column's own list (schema/campaigns.ts, checked in PostgreSQL): one definition of the statuses. */
export const CAMPAIGN_STATUSES = CAMPAIGN_STATES;
export type CampaignStatus = CampaignState;

/** Statuses in which the campaign's jobs do work. */
export const WORKING_CAMPAIGN_STATUSES = ['running', 'planning', 'expanding', 'refining'] as const satisfies readonly CampaignStatus[];
/** Stopped until the user resumes: jobs that find them are dropped (resume re-enqueues). */
export const HALTED_CAMPAIGN_STATUSES = ['paused', 'cancelled'] as const satisfies readonly CampaignStatus[];
/** The run ended, well or not; a command starts it again. */
export const TERMINAL_CAMPAIGN_STATUSES = ['completed', 'failed'] as const satisfies readonly CampaignStatus[];
/** Imported, never run; tests (and `tapir run --detach` before its first worker) reconcile campaigns still here. */
export const LIVE_CAMPAIGN_STATUSES = ['created', ...WORKING_CAMPAIGN_STATUSES] as const satisfies readonly CampaignStatus[];

/** The user's commands: only they may move a halted or terminal campaign. */
export const COMMANDS = ['run', 'resume', 'retry-failed', 'round-next', 'cancel', 'pause'] as const;
/** Jobs and what they conclude: they only move a live campaign. */
export const JOB_ACTORS = ['planner', 'budget', 'outage', 'round-complete', 'plan-failed'] as const;
export type CampaignActor = (typeof COMMANDS)[number] | (typeof JOB_ACTORS)[number];

export interface CampaignTransitionRule {
  from: readonly CampaignStatus[];
  to: CampaignStatus;
  by: CampaignActor;
  why: string;
}

const ALL_BUT = (...excluded: CampaignStatus[]) => CAMPAIGN_STATUSES.filter((s) => !excluded.includes(s));

/**
 * Who moves a campaign from what to what. A self-move (planning -> planning, running -> running)
 * is listed where a retried job or a repeated command makes one; `transition` touches the row.
 */
export const CAMPAIGN_TRANSITIONS: readonly CampaignTransitionRule[] = [
  { from: ['created', 'failed'], to: 'running', by: 'run', why: '`tapir run` starts a new or failed campaign' },
  {
    from: ALL_BUT('completed'),
    to: 'running',
    by: 'resume',
    why: '`tapir resume` continues a paused, cancelled, failed or interrupted campaign whose round is not finished',
  },
  { from: ALL_BUT('completed', 'created'), to: 'completed', by: 'resume', why: '`tapir resume` of a campaign whose round finished meanwhile' },
  { from: ALL_BUT('cancelled'), to: 'running', by: 'retry-failed', why: '`tapir retry-failed` reopens the round for the items it resets' },
  { from: ['completed', 'paused'], to: 'running', by: 'round-next', why: '`tapir round next` opens the next round once this one finished' },
  { from: ALL_BUT('completed', 'cancelled'), to: 'cancelled', by: 'cancel', why: '`tapir cancel` stops anything not finished' },
  { from: LIVE_CAMPAIGN_STATUSES, to: 'paused', by: 'pause', why: '`tapir pause` (or the dashboard) halts a live campaign until `tapir resume`' },
  { from: LIVE_CAMPAIGN_STATUSES, to: 'planning', by: 'planner', why: 'the plan job starts (again, after an expansion pass or a crash)' },
  { from: ['planning', 'running'], to: 'expanding', by: 'planner', why: 'the plan is short of a category: expansions are queued' },
  { from: ['planning', 'running'], to: 'refining', by: 'planner', why: 'the plan is written: refinements are fed' },
  { from: WORKING_CAMPAIGN_STATUSES, to: 'completed', by: 'round-complete', why: "the round's last refinement is recorded" },
  { from: LIVE_CAMPAIGN_STATUSES, to: 'paused', by: 'budget', why: 'the next request would cross the budget' },
  {
    from: LIVE_CAMPAIGN_STATUSES,
    to: 'paused',
    by: 'outage',
    why: "a role's endpoint stayed down past models.<role>.outagePauseMs, or refuses its key (401/403), quota or model",
  },
  { from: LIVE_CAMPAIGN_STATUSES, to: 'failed', by: 'plan-failed', why: 'the plan job failed for good' },
];

const ALLOWED = new Set(CAMPAIGN_TRANSITIONS.flatMap((rule) => rule.from.map((from) => `${from}>${rule.to}`)));

export function isCampaignStatus(value: string): value is CampaignStatus {
  return (CAMPAIGN_STATUSES as readonly string[]).includes(value);
}

/** Whether any actor may move a campaign from `from` to `to`. */
export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return ALLOWED.has(`${from}>${to}`);
}

/** The `from` set an actor's rule to `to` expects (for callers that mean "whatever this actor may move"). */
export function transitionSources(by: CampaignActor, to: CampaignStatus): readonly CampaignStatus[] {
  const rule = CAMPAIGN_TRANSITIONS.find((r) => r.by === by && r.to === to);
  if (!rule) throw new Error(`no campaign transition to ${to} by ${by}`);
  return rule.from;
}
