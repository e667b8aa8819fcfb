import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import {
  buildSynthesisMessages,
  configHash,
  diversityReport,
  filterExpandedInstruction,
  parseSynthesisReply,
  planSynthesisRequests,
  RougeLIndex,
  SYNTHESIZE_PROMPT_VERSION,
  topicsFor,
  type CampaignConfig,
  type DiversityReport,
  type TopicList,
} from '@tapir/core';
import { campaigns, rounds } from '@tapir/db';
import { eq } from 'drizzle-orm';
import { newCampaignId } from './import-pool';
import type { PipelineServices } from './services';
import { synthesisSamplingSeed } from './steps/synthesize';
import { askForWholeAnswer } from './whole-answer';

export interface SynthesizePoolOptions {
  config: CampaignConfig;
  topics: TopicList;
  categories: string[];
  perCategory: number;
  /** Instructions of the pool the new ones must not copy (ROUGE-L filter) and are compared against (diversity). */
  poolInstructions: string[];
  outFile: string;
  name: string;
}

export interface SynthesizePoolResult {
  /** The campaign the requests are recorded under (its ledger rows, its cost in `tapir status`). */
  campaignId: string;
  written: number;
  rejected: Record<string, number>;
  diversity: DiversityReport;
}

/**
 * `tapir synthesize`: the teacher writes `perCategory` instructions for each category, each
 * seeded by a topic (without replacement), an audience and a form, and the ones that pass
 * expansion's filters go to a JSONL pool file (`instruction`, `category`, `topic`, `audience`,
 * `form`). Requests go through the ledger under a campaign of their own, so they are paid once:
 * the same command again (same config, topics and seed) is served from the ledger.
 */
export async function synthesizePool(s: PipelineServices, opts: SynthesizePoolOptions): Promise<SynthesizePoolResult> {
  const { config } = opts;
  const campaignId = newCampaignId();
  await s.db.insert(campaigns).values({
    id: campaignId,
    name: opts.name,
    config,
    configHash: configHash(config),
    seed: config.seed,
    status: 'running',
    message: 'tapir synthesize',
    budgetUsd: config.budget.maxUsd ?? null,
    budgetTokens: config.budget.maxTokens ?? null,
  });
  await s.db.insert(rounds).values({ campaignId, round: 1, studentModel: config.models.student.model });
  const campaign = await s.registry.get(campaignId);
  const settings = config.synthesis;
  const requests = planSynthesisRequests(
    Object.fromEntries(opts.categories.map((c) => [c, opts.perCategory])),
    (c) => topicsFor(opts.topics, c),
    {},
    { seed: config.seed, audiences: settings.audiences, forms: settings.forms, oversample: 1, maxTotal: opts.categories.length * opts.perCategory },
  );
  let replies;
  try {
    replies = await Promise.all(
    requests.map(async (request) => {
      const answer = await askForWholeAnswer(s, campaign, 'teacher', 1, {
        messages: buildSynthesisMessages(request),
        promptVersion: SYNTHESIZE_PROMPT_VERSION,
        purpose: 'synthesize',
        temperature: settings.temperature,
        seed: synthesisSamplingSeed(request),
      });
      return { request, answer };
    }),
    );
  } catch (err) {
    await s.db.update(campaigns).set({ status: 'failed', message: `tapir synthesize: ${(err as Error).message}` }).where(eq(campaigns.id, campaignId));
    throw err;
  }
  // Filtered in request order, so that which of two near-copies is kept does not depend on timing.
  const index = new RougeLIndex(opts.poolInstructions);
  const rejected: Record<string, number> = {};
  const kept: { instruction: string; topic: string }[] = [];
  const out = createWriteStream(opts.outFile);
  for (const { request, answer } of replies) {
    const text = parseSynthesisReply(answer.reply.text);
    let reason: string | null = !answer.whole ? 'truncated' : text === null ? 'empty' : null;
    if (reason === null) {
      const verdict = filterExpandedInstruction(text!, index, { minWords: settings.minWords, maxRougeL: settings.maxRougeL });
      if (!verdict.ok) reason = verdict.reason;
    }
    if (reason !== null) {
      rejected[reason] = (rejected[reason] ?? 0) + 1;
      continue;
    }
    index.add(text!);
    kept.push({ instruction: text!, topic: request.topic });
    const line = JSON.stringify({ instruction: text, input: '', category: request.category, topic: request.topic, audience: request.audience, form: request.form, origin: 'synthesized' });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await s.db.update(campaigns).set({ status: 'completed', updatedAt: new Date() }).where(eq(campaigns.id, campaignId));
  return { campaignId, written: kept.length, rejected, diversity: diversityReport(kept, opts.poolInstructions, { seed: config.seed }) };
}
