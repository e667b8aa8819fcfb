import type { ChatMessage, ModelRole } from '@tapir/core';
import { LlmError, type LedgerResult } from '@tapir/llm';
import type { CampaignRuntime } from './campaign-registry';
import type { PipelineServices } from './services';

export interface ModelCall {
  messages: ChatMessage[];
  promptVersion: string;
  purpose: string;
  itemId: number;
  /** Overrides the role's configured temperature (classification wants 0). */
  temperature?: number;
  salt?: string;
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
  const budgeted = (await services.gate.state(campaign.id))?.budgeted ?? false;
  const limits = endpoint.settings.rateLimit ?? {};
  const rate = services.rateLimiter;
  const request = {
    messages: call.messages,
    temperature: call.temperature ?? endpoint.settings.temperature,
    maxTokens: endpoint.settings.maxTokens,
    promptVersion: call.promptVersion,
    ...(call.salt ? { salt: call.salt } : {}),
  };
  const context = { campaignId: campaign.id, itemId: call.itemId, role, purpose: call.purpose, budgeted };
  try {
    return await services.ledger.complete(endpoint.provider, request, context, endpoint.price, {
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
