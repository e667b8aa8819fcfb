import type { Db } from '@tapir/db';
import type { LlmLedger } from '@tapir/ledger';
import type { EndpointBreaker, EndpointRateLimiter } from '@tapir/llm';
import type { CampaignGate } from './campaign-gate';
import type { CampaignRegistry } from './campaign-registry';
import type { Logger } from './logger';
import type { QueueSet } from './queue-set';
import type { StepRegistry } from './steps/step-registry';

/** The one dependency object every processor receives. */
export interface PipelineServices {
  db: Db;
  queues: QueueSet;
  registry: CampaignRegistry;
  gate: CampaignGate;
  ledger: LlmLedger;
  rateLimiter: EndpointRateLimiter;
  /** Each endpoint's circuit breaker, shared by every worker through Redis (endpoint-health.ts). */
  breaker: EndpointBreaker;
  logger: Logger;
  /** The steps this pipeline runs (steps/registry.ts; tests may pass their own). */
  steps: StepRegistry;
  /** Test-only points to hold a step at (never set in production). */
  hooks?: PipelineHooks;
}

export interface PipelineHooks {
  /**
   * Inside the planner's transaction, after the plan rows are written and before the commit: a
   * test holds the job here to land a cancel or pause while the plan is being drawn.
   */
  beforePlanCommit?(campaignId: string, round: number): Promise<void>;
}
