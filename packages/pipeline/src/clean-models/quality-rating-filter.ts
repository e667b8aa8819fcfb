import { buildQualityRatingMessages, parseQualityRating, qualityRatingPromptVersion, QUALITY_RATING_REPLY_DESCRIPTION, QUALITY_RATING_REPLY_NAME, QUALITY_RATING_REPLY_SCHEMA, type CleanQualityRatingConfig, type StructuredReplyMode } from '@tapir/core';
import type { StructuredReplyRequest } from '@tapir/llm';
import type { CampaignRuntime } from '../campaign-registry';
import { callModel } from '../model-call';
import type { PipelineServices } from '../services';
import { fallBackToText, judgeReplyMode } from '../structured-reply';
import type { CleanDrop } from './clean-drop';
import type { CleanCandidate } from './model-filter-input';
import { settleEach } from './settle-each';

function replyRequest(mode: StructuredReplyMode): StructuredReplyRequest | undefined {
  if (mode === 'text') return undefined;
  return { mode, name: QUALITY_RATING_REPLY_NAME, description: QUALITY_RATING_REPLY_DESCRIPTION, schema: QUALITY_RATING_REPLY_SCHEMA as unknown as Record<string, unknown> };
}

type Rating = { score: number; consistency: number; readability: number } | { unparsed: string };

/** One item's rating, re-asked (salted) while the reply does not parse, as the judge step does. */
async function rateOne(s: PipelineServices, campaign: CampaignRuntime, candidate: CleanCandidate, config: CleanQualityRatingConfig): Promise<Rating> {
  const endpoint = await campaign.endpoint(config.role, 0);
  let lastReason = '';
  for (let attempt = 1; attempt <= config.maxParseAttempts; attempt++) {
    const mode = judgeReplyMode(endpoint);
    const structuredReply = replyRequest(mode);
    let reply;
    try {
      reply = await callModel(s, campaign, config.role, 0, {
        messages: buildQualityRatingMessages(candidate.instruction, candidate.input, mode),
        promptVersion: qualityRatingPromptVersion(mode),
        purpose: 'clean-quality-rating',
        itemId: candidate.itemId,
        temperature: 0,
        ...(attempt > 1 ? { salt: `reask-${attempt}` } : {}),
        ...(structuredReply ? { structuredReply } : {}),
      });
    } catch (err) {
      if (!fallBackToText(endpoint, mode, err)) throw err;
      attempt--;
      continue;
    }
    const parsed = parseQualityRating(reply.text);
    if (parsed.ok) return parsed;
    lastReason = parsed.reason;
  }
  return { unparsed: lastReason };
}

/**
 * Ziya2's model-based quality scoring: the judge (or `role`) rates each instruction's consistency
 * and readability, 1-10, and an item whose mean is below `min` is dropped. An item whose rating
 * never parses is kept (nothing says it is bad) and logged. Every rating is a ledger call.
 */
export async function qualityRatingDrops(
  s: PipelineServices,
  campaign: CampaignRuntime,
  candidates: readonly CleanCandidate[],
  config: CleanQualityRatingConfig,
): Promise<Map<number, CleanDrop>> {
  const endpoint = await campaign.endpoint(config.role, 0);
  const drops = new Map<number, CleanDrop>();
  await settleEach(candidates, endpoint.settings.concurrency * 2, async (candidate) => {
    const rating = await rateOne(s, campaign, candidate, config);
    if ('unparsed' in rating) {
      s.logger.warn({ campaignId: campaign.id, itemId: candidate.itemId, reason: rating.unparsed }, 'quality rating unparseable; item kept');
      return;
    }
    if (rating.score >= config.min) return;
    drops.set(candidate.itemId, {
      reason: 'quality-rating',
      evidence: {
        rule: 'llm-quality-rating',
        score: rating.score,
        threshold: config.min,
        detail: `consistency ${rating.consistency}, readability ${rating.readability} (${endpoint.settings.model})`,
      },
    });
  });
  return drops;
}
