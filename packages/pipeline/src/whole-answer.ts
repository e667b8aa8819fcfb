import { isCutOff, retryMaxTokens, truncatedReason, type ModelRole } from '@tapir/core';
import type { LedgerResult } from '@tapir/ledger';
import type { CampaignRuntime } from './campaign-registry';
import { callModel, type ModelCall } from './model-call';
import type { PipelineServices } from './services';

/** A reply that ended on its own, or the reason it never did (`truncated: ...`) with the last cut reply. */
export type WholeAnswer = { whole: true; reply: LedgerResult } | { whole: false; reason: string; reply: LedgerResult };

/**
 * One request whose reply must not be cut off at its token limit (an answer that becomes training
 * data, a new instruction). A cut reply is asked again once with the role's `maxTokensRetry`
 * times the budget: a distinct ledger request (the budget is in its cache key), paid once and
 * served from the ledger on any later attempt of the job. Still cut, the caller drops it.
 */
export async function askForWholeAnswer(
  services: PipelineServices,
  campaign: CampaignRuntime,
  role: ModelRole,
  round: number,
  call: ModelCall,
): Promise<WholeAnswer> {
  const first = await callModel(services, campaign, role, round, call);
  if (!isCutOff(first.finishReason)) return { whole: true, reply: first };
  const { maxTokens, maxTokensRetry } = (await campaign.endpoint(role, round)).settings;
  const firstBudget = call.maxTokens ?? maxTokens;
  const larger = retryMaxTokens(firstBudget, maxTokensRetry);
  if (larger === null) return { whole: false, reason: truncatedReason([firstBudget]), reply: first };
  const second = await callModel(services, campaign, role, round, { ...call, maxTokens: larger });
  if (!isCutOff(second.finishReason)) return { whole: true, reply: second };
  return { whole: false, reason: truncatedReason([firstBudget, larger]), reply: second };
}
