import type { z } from 'zod';
import type { SQL } from 'drizzle-orm';
import type { SignalNeeds } from '../difficulty-signals';
import type { PipelineServices } from '../services';

/**
 * Everything the rest of tapir knows about one step of a round: the worker host, reconcile, the
 * planner's barrier, progress, status, the CLI and round control read it from here and name no
 * step themselves. docs/adding-a-step.md says how to write one.
 */

/** How often a step's job may run before its failure is final, as a typed catalog entry. */
export interface RetryPolicy {
  /** Attempts in all, the first included; 429s and PostgreSQL outages postpone without spending one. */
  attempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6 };

/** What a step is asked about one campaign's current round. */
export interface RoundContext {
  campaignId: string;
  round: number;
  needs: SignalNeeds;
}

/**
 * The step's three counts for the progress bars, as scalar SQL over the campaign's items
 * (`from items where campaign_id = <campaign>`, aggregates allowed) or as scalar subqueries.
 * tapir adds every step's columns into one query, so a poll stays one round trip.
 */
export interface ProgressColumns {
  done: SQL;
  failed: SQL;
  total: SQL;
}

export interface StepProgressSpec {
  columns(ctx: RoundContext): ProgressColumns;
  /** Whether the step belongs on the campaign's progress view at all (a signal it does not use, say). */
  shown?(ctx: RoundContext, counts: { done: number; failed: number; total: number }): boolean;
}

/** Which part of a round the step works in: before the plan (measure) or after it (refine). */
export type RoundPhase = 'measure' | 'refine';

interface StepBase<Job extends object> {
  /** The queue and the job name; also `items.fail_step` for an item that failed at this step. */
  readonly name: string;
  /** The CLI's progress label (at most 8 characters). */
  readonly label: string;
  readonly phase: RoundPhase;
  /** Job data: ids only, every input is read from PostgreSQL when the job runs. */
  readonly schema: z.ZodType<Job>;
  readonly retry: RetryPolicy;
  /** How long a worker may go silent before its job counts as stalled and goes to another worker. */
  readonly visibilityTimeoutMs?: number;
  /** Jobs in flight per worker process, when the host's default does not suit the step. */
  readonly concurrency?: number;
  /** Its outcome belongs to one round's student: a new round (a re-trained student) runs it again, failures included. */
  readonly perRound: boolean;
  /**
   * An SQL condition ($1 campaign id, $2 round) that holds while this step still has work that
   * the round's plan must wait for. The plan step's barrier is the conjunction of their negations.
   */
  readonly blocksPlan?: string;
  /** Enqueues every job of this step that PostgreSQL says is due (reconcile); returns the units enqueued. */
  enqueueDue(s: PipelineServices, ctx: RoundContext): Promise<number>;
  readonly progress?: StepProgressSpec;
}

/** One item of a round, as a step processes it. */
export interface ItemRef {
  campaignId: string;
  itemId: number;
  round: number;
}

/** The items one job carries: a chunk of seed items, or one item (an expansion's). */
export interface ItemBatch {
  campaignId: string;
  round: number;
  itemIds: readonly number[];
  /** Set when the job is a chunk job. */
  chunk?: number;
}

/**
 * A step run for items, one job per chunk of seed items or per single item. The host settles
 * every item of a batch before it decides the job's fate (chunk-outcome.ts), records the items
 * that failed for good with `onItemFailed`, and calls `afterBatch` once when the batch is done.
 */
export interface ItemStepDefinition<Result = void> extends StepBase<ItemJob> {
  readonly unit: 'item';
  /** Whether seed items travel in chunk jobs; an expansion's item is always its own job. */
  readonly chunked: boolean;
  /**
   * Runs for every item as soon as it is in the pool, given the signals the campaign uses: an
   * item born of an expansion mid-round is queued for each such step (reconcile finds the
   * imported ones through `enqueueDue`).
   */
  startsItem?(needs: SignalNeeds): boolean;
  /**
   * Runs for every item the clean step keeps: asked for its due items (`enqueueDue`) when a
   * cleaning pass ends, and enqueues nothing while the campaign has uncleaned items.
   */
  startsWhenKept?(needs: SignalNeeds): boolean;
  /** The items a chunk job covers, read when it runs; by default the chunk's live seed items. */
  chunkMembers?(s: PipelineServices, job: ChunkJob): Promise<number[]>;
  processItem(s: PipelineServices, item: ItemRef): Promise<Result>;
  /** What runs next, once per batch, after every item's write committed. */
  afterBatch?(s: PipelineServices, batch: ItemBatch, results: readonly Result[]): Promise<void>;
  /** Records an item's final failure in PostgreSQL (so the round's barrier can still open). */
  onItemFailed(s: PipelineServices, item: ItemRef, reason: string): Promise<void>;
}

/** A step whose job is one unit of its own (the round's plan, one expansion). */
export interface JobStepDefinition<Job extends { campaignId: string; round: number } = { campaignId: string; round: number }> extends StepBase<Job> {
  readonly unit: 'job';
  process(s: PipelineServices, job: Job, closing: AbortSignal): Promise<void>;
  /** Records the job's final failure in PostgreSQL. */
  onFinalFailure(s: PipelineServices, job: Job, reason: string): Promise<void>;
}

export type ItemJob = ItemRef | ChunkJob;

export interface ChunkJob {
  campaignId: string;
  chunk: number;
  round: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StepDefinition = ItemStepDefinition<any> | JobStepDefinition<any>;

/** Identity functions that check a definition against its interface where it is written. */
export function defineItemStep<Result>(step: ItemStepDefinition<Result>): ItemStepDefinition<Result> {
  return step;
}

export function defineJobStep<Job extends { campaignId: string; round: number }>(step: JobStepDefinition<Job>): JobStepDefinition<Job> {
  return step;
}
