import type { ChatMessage, ModelRole } from '@tapir/core';
import { budgetHook, type LedgerContext, type LedgerResult, type LedgerScoreResult, type SendHook } from '@tapir/ledger';
import type { CampaignRuntime, RoleEndpoint } from './campaign-registry';
import { concurrencyHook, haltGateHook, rateLimitHook, type HookedEndpoint } from './endpoint-hooks';
import { EndpointHealthCall, pauseForEndpoint, refusalMessage } from './endpoint-health';
import { assertPromptFits } from './prompt-fit';
import type { PipelineServices } from './services';
import { withStructuredReply } from './structured-reply';
import { LlmError, type StructuredReplyRequest } from '@tapir/llm';

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
 * What wraps every request a role really sends, in this order: the endpoint's breaker (a down
 * endpoint is not worth waiting for a rate-limit slot), the endpoint's rate limit, the
 * campaign's budget when it has one (after the rate limit, so that a reservation does not sit
 * idle while the endpoint is throttled), the role's concurrency slot around the HTTP request, and
 * inside the slot a last check that the campaign was not paused or cancelled meanwhile.
 */
export async function sendHooks(
  services: PipelineServices,
  campaign: Pick<CampaignRuntime, 'id'>,
  endpoint: HookedEndpoint,
  health?: EndpointHealthCall,
): Promise<SendHook[]> {
  const budgeted = (await services.gate.state(campaign.id))?.budgeted ?? false;
  return [
    ...(health ? [health.hook] : []),
    rateLimitHook(services.rateLimiter, endpoint),
    ...(budgeted ? [budgetHook(services.db, campaign.id)] : []),
    concurrencyHook(endpoint),
    haltGateHook(services.gate, campaign.id),
  ];
}

function ledgerContext(campaign: CampaignRuntime, endpoint: RoleEndpoint, call: { itemId?: number; purpose: string }): LedgerContext {
  return { campaignId: campaign.id, ...(call.itemId === undefined ? {} : { itemId: call.itemId }), role: endpoint.role, purpose: call.purpose };
}

/**
 * The role's endpoint; a key that is not set pauses the campaign like a key the endpoint refuses,
 * since no item of the role could be sent (the SDK client is made when the role is first used).
 */
async function endpointOf(services: PipelineServices, campaign: CampaignRuntime, role: ModelRole, round: number): Promise<RoleEndpoint> {
  try {
    return await campaign.endpoint(role, round);
  } catch (err) {
    if (!(err instanceof LlmError && err.kind === 'missing_api_key')) throw err;
    const settings = campaign.config.models[role];
    throw await pauseForEndpoint(services, campaign.id, refusalMessage({ role, settings, endpointKey: '' }, err));
  }
}

/** Runs one request through the ledger and turns an endpoint-level error into a postponement or a pause. */
async function underEndpointHealth<T>(
  services: PipelineServices,
  campaign: CampaignRuntime,
  endpoint: RoleEndpoint,
  send: (hooks: SendHook[]) => Promise<T>,
): Promise<T> {
  const health = new EndpointHealthCall(services, campaign.id, endpoint);
  const hooks = await sendHooks(services, campaign, endpoint, health);
  try {
    return await send(hooks);
  } catch (err) {
    throw await health.explain(err);
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
  const endpoint = await endpointOf(services, campaign, role, round);
  assertPromptFits(endpoint, call.messages);
  const request = {
    messages: call.messages,
    temperature: call.temperature ?? endpoint.settings.temperature,
    maxTokens: call.maxTokens ?? endpoint.settings.maxTokens,
    promptVersion: call.promptVersion,
    ...(call.salt ? { salt: call.salt } : {}),
    ...(call.seed === undefined ? {} : { seed: call.seed }),
  };
  const provider = call.structuredReply ? withStructuredReply(endpoint.provider, call.structuredReply) : endpoint.provider;
  return underEndpointHealth(services, campaign, endpoint, (hooks) =>
    services.ledger.complete(provider, request, ledgerContext(campaign, endpoint, call), endpoint.price, hooks),
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
  const endpoint = await endpointOf(services, campaign, role, round);
  assertPromptFits(endpoint, [{ role: 'user', content: call.prefix + call.target }]);
  const request = { prefix: call.prefix, target: call.target, promptVersion: call.promptVersion };
  return underEndpointHealth(services, campaign, endpoint, (hooks) =>
    services.ledger.score(endpoint.provider, request, ledgerContext(campaign, endpoint, call), endpoint.price, hooks),
  );
}
