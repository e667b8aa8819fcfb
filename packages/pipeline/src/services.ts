import type { Db } from '@tapir/db';
import type { EndpointRateLimiter, LlmLedger } from '@tapir/llm';
import type { CampaignGate } from './campaign-gate';
import type { CampaignRegistry } from './campaign-registry';
import type { Logger } from './logger';
import type { QueueSet } from './queue-set';

/** The one dependency object every processor receives. */
export interface PipelineServices {
  db: Db;
  queues: QueueSet;
  registry: CampaignRegistry;
  gate: CampaignGate;
  ledger: LlmLedger;
  rateLimiter: EndpointRateLimiter;
  logger: Logger;
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
