import type { CleanPerplexityConfig } from '@tapir/core';
import type { CampaignRuntime } from '../campaign-registry';
import { scoreWithModel } from '../model-call';
import type { PipelineServices } from '../services';
import type { CleanDrop } from './clean-drop';
import { candidateText, type CleanCandidate } from './model-filter-input';
import { settleEach } from './settle-each';

/** Part of every perplexity ledger key. */
export const PERPLEXITY_PROMPT_VERSION = 'clean-perplexity@1';

/** exp of the mean token NLL; undefined for a text with no scored token (a one-token instruction). */
export function perplexity(span: { tokens: number; sumLogprob: number }): number | undefined {
  return span.tokens > 0 ? Math.exp(-span.sumLogprob / span.tokens) : undefined;
}

/**
 * Data-Juicer's perplexity filter, with the student as the language model: the instruction (and
 * input) is scored with nothing before it by the same prompt log-probability request IFD uses, and
 * an item above `max` is dropped. Each score is a ledger call, so a rerun is served, not paid.
 */
export async function perplexityDrops(
  s: PipelineServices,
  campaign: CampaignRuntime,
  candidates: readonly CleanCandidate[],
  config: CleanPerplexityConfig,
): Promise<Map<number, CleanDrop>> {
  const endpoint = await campaign.endpoint('student', 0);
  const drops = new Map<number, CleanDrop>();
  await settleEach(candidates, endpoint.settings.concurrency * 2, async (candidate) => {
    const span = await scoreWithModel(s, campaign, 'student', 0, {
      prefix: '',
      target: candidateText(candidate),
      promptVersion: PERPLEXITY_PROMPT_VERSION,
      purpose: 'clean-perplexity',
      itemId: candidate.itemId,
    });
    const value = perplexity(span);
    if (value === undefined || value <= config.max) return;
    drops.set(candidate.itemId, {
      reason: 'perplexity',
      evidence: { rule: 'student-perplexity', score: Math.round(value * 100) / 100, threshold: config.max, detail: `${span.tokens} tokens under ${endpoint.settings.model}` },
    });
  });
  return drops;
}
