import type { ChatMessage, ModelRole } from '@tapir/core';
import type { LedgerResult } from '@tapir/llm';
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
  return endpoint.limiter.run(() =>
    services.ledger.complete(
      endpoint.provider,
      {
        messages: call.messages,
        temperature: call.temperature ?? endpoint.settings.temperature,
        maxTokens: endpoint.settings.maxTokens,
        promptVersion: call.promptVersion,
        ...(call.salt ? { salt: call.salt } : {}),
      },
      { campaignId: campaign.id, itemId: call.itemId, role, purpose: call.purpose, budgeted },
      endpoint.price,
    ),
  );
}
