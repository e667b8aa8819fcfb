import type { ChatMessage, ModelRole } from '@tapir/core';
import { LlmError, type LedgerContext, type LedgerResult, type LedgerScoreResult, type SendHooks } from '@tapir/llm';
import type { CampaignRuntime, RoleEndpoint } from './campaign-registry';
import type { PipelineServices } from './services';

export interface ModelCall {
  messages: ChatMessage[];
  promptVersion: string;
  purpose: string;
  itemId: number;
  /** Overrides the role's configured temperature (classification wants 0). */
  temperature?: number;
  salt?: string;
  /** Sampling seed: distinct samples of one prompt (new instructions from one seed). */
  seed?: number;
}

export interface ScoreCall {
  prefix: string;
  target: string;
  promptVersion: string;
  purpose: string;
  itemId: number;
}

/**
 * The endpoint's shared rate limit before sending, the role's concurrency slot around the HTTP
 * request only, and a 429 that slows the endpoint for every worker.
 */
async function throughEndpoint<T>(
  services: PipelineServices,
  campaign: CampaignRuntime,
  endpoint: RoleEndpoint,
  exchange: (context: LedgerContext, hooks: SendHooks) => Promise<T>,
  call: { itemId: number; purpose: string },
): Promise<T> {
  const budgeted = (await services.gate.state(campaign.id))?.budgeted ?? false;
  const limits = endpoint.settings.rateLimit ?? {};
  const rate = services.rateLimiter;
  const context = { campaignId: campaign.id, itemId: call.itemId, role: endpoint.role, purpose: call.purpose, budgeted };
  try {
    return await exchange(context, {
      beforeSend: async (tokens) => {
        // Also without configured limits: a 429 seen by any worker blocks the endpoint for all.
        await rate.acquire(endpoint.endpointKey, limits, tokens);
      },
      afterSend: (reserved, used) =>
        limits.tpm ? rate.settleTokens(endpoint.endpointKey, limits, reserved, used) : Promise.resolve(),
      // The role's concurrency caps requests in flight, not the ledger writes around them.
      send: (sendRequest) => endpoint.limiter.run(sendRequest),
    });
  } catch (err) {
    // Every worker slows down for this endpoint; the job itself is postponed without
    // spending an attempt (worker host).
    if (err instanceof LlmError && err.kind === 'rate_limit') {
      await rate.onRateLimited(endpoint.endpointKey, limits, err.retryAfterMs).catch(() => undefined);
    }
    throw err;
  }
}

/** One request to a campaign's model role, under the role's concurrency cap, through the ledger. */
export async function callModel(
  services: PipelineServices,
  campaign: CampaignRuntime,
  role: ModelRole,
  round: number,
  call: ModelCall,
): Promise<LedgerResult> {
  const endpoint = await campaign.endpoint(role, round);
  const request = {
    messages: call.messages,
    temperature: call.temperature ?? endpoint.settings.temperature,
    maxTokens: endpoint.settings.maxTokens,
    promptVersion: call.promptVersion,
    ...(call.salt ? { salt: call.salt } : {}),
    ...(call.seed === undefined ? {} : { seed: call.seed }),
  };
  return throughEndpoint(
    services,
    campaign,
    endpoint,
    (context, hooks) => services.ledger.complete(endpoint.provider, request, context, endpoint.price, hooks),
    call,
  );
}

/** The log-likelihood of a continuation under a role's model (prompt log-probabilities), through the ledger. */
export async function scoreWithModel(
  services: PipelineServices,
  campaign: CampaignRuntime,
  role: ModelRole,
  round: number,
  call: ScoreCall,
): Promise<LedgerScoreResult> {
  const endpoint = await campaign.endpoint(role, round);
  const request = { prefix: call.prefix, target: call.target, promptVersion: call.promptVersion };
  return throughEndpoint(
    services,
    campaign,
    endpoint,
    (context, hooks) => services.ledger.score(endpoint.provider, request, context, endpoint.price, hooks),
    call,
  );
}
