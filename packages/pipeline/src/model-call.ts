import type { ChatMessage, ModelRole } from '@tapir/core';
import { budgetHook, type LedgerContext, type LedgerResult, type LedgerScoreResult, type SendHook } from '@tapir/ledger';
import type { CampaignRuntime, RoleEndpoint } from './campaign-registry';
import { concurrencyHook, haltGateHook, rateLimitHook, type HookedEndpoint } from './endpoint-hooks';
import { assertPromptFits } from './prompt-fit';
import type { PipelineServices } from './services';
import { withStructuredReply } from './structured-reply';
import type { StructuredReplyRequest } from '@tapir/llm';

export interface ModelCall {
  messages: ChatMessage[];
  promptVersion: string;
  purpose: string;
  /** The item the request is for; none for a request that writes a new item (synthesis). */
  itemId?: number;
  /** Overrides the role's configured temperature (classification wants 0). */
  temperature?: number;
  salt?: string;
  /** Sampling seed: distinct samples of one prompt (new instructions from one seed). */
  seed?: number;
  /** Overrides the role's configured maxTokens (the re-ask of a cut-off answer, whole-answer.ts). */
  maxTokens?: number;
  /** A reply as one JSON object of a schema; the prompt version must name it (the ledger keys by it). */
  structuredReply?: StructuredReplyRequest;
}

export interface ScoreCall {
  prefix: string;
  target: string;
  promptVersion: string;
  purpose: string;
  itemId: number;
}

/**
 * What wraps every request a role really sends, in this order: the endpoint's rate limit, the
 * campaign's budget when it has one (after the rate limit, so that a reservation does not sit
 * idle while the endpoint is throttled), the role's concurrency slot around the HTTP request, and
 * inside the slot a last check that the campaign was not paused or cancelled meanwhile.
 */
export async function sendHooks(services: PipelineServices, campaign: Pick<CampaignRuntime, 'id'>, endpoint: HookedEndpoint): Promise<SendHook[]> {
  const budgeted = (await services.gate.state(campaign.id))?.budgeted ?? false;
  return [
    rateLimitHook(services.rateLimiter, endpoint),
    ...(budgeted ? [budgetHook(services.db, campaign.id)] : []),
    concurrencyHook(endpoint),
    haltGateHook(services.gate, campaign.id),
  ];
}

function ledgerContext(campaign: CampaignRuntime, endpoint: RoleEndpoint, call: { itemId?: number; purpose: string }): LedgerContext {
  return { campaignId: campaign.id, ...(call.itemId === undefined ? {} : { itemId: call.itemId }), role: endpoint.role, purpose: call.purpose };
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
  assertPromptFits(endpoint, call.messages);
  const request = {
    messages: call.messages,
    temperature: call.temperature ?? endpoint.settings.temperature,
    maxTokens: call.maxTokens ?? endpoint.settings.maxTokens,
    promptVersion: call.promptVersion,
    ...(call.salt ? { salt: call.salt } : {}),
    ...(call.seed === undefined ? {} : { seed: call.seed }),
  };
  const hooks = await sendHooks(services, campaign, endpoint);
  const provider = call.structuredReply ? withStructuredReply(endpoint.provider, call.structuredReply) : endpoint.provider;
  return services.ledger.complete(provider, request, ledgerContext(campaign, endpoint, call), endpoint.price, hooks);
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
  assertPromptFits(endpoint, [{ role: 'user', content: call.prefix + call.target }]);
  const request = { prefix: call.prefix, target: call.target, promptVersion: call.promptVersion };
  const hooks = await sendHooks(services, campaign, endpoint);
  return services.ledger.score(endpoint.provider, request, ledgerContext(campaign, endpoint, call), endpoint.price, hooks);
}
