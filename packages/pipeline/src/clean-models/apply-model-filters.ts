import type { CleanModelConfig } from '@tapir/core';
import type { PipelineServices } from '../services';
import type { CleanDrop } from './clean-drop';
import { embeddingEndpoint } from './embedding-endpoint';
import { embedTexts } from './embed-texts';
import { candidateText, type BenchmarkQuestion, type CleanCandidate } from './model-filter-input';
import { perplexityDrops } from './perplexity-filter';
import { qualityRatingDrops } from './quality-rating-filter';
import { semanticDrops } from './semantic-drops';

/**
 * The model-based filters of the clean step, cheapest first, each on what the ones before kept:
 * embeddings (decontamination against the benchmark questions, then semantic dedup), the
 * student's perplexity, the judge's quality rating. Items the rule-based filters removed are not
 * passed in, so nothing is paid for them. Idempotent: embeddings are stored and every other call
 * is a ledger call, so a rerun reads what the first run bought and sends nothing.
 * Returns the dropped items by id; an item absent from the map is kept.
 *
 * `kept` are items an earlier pass kept: they take part in semantic dedup as copies already kept
 * (their embeddings are stored) but are not judged again, so perplexity and the quality rating
 * are asked only about `items`.
 */
export async function applyModelFilters(
  s: PipelineServices,
  campaignId: string,
  items: readonly CleanCandidate[],
  benchmarks: readonly BenchmarkQuestion[],
  config: CleanModelConfig,
  kept: readonly CleanCandidate[] = [],
): Promise<Map<number, CleanDrop>> {
  const drops = new Map<number, CleanDrop>();
  if (items.length === 0) return drops;
  const campaign = await s.registry.get(campaignId);

  if (config.embeddings) {
    const endpoint = embeddingEndpoint(campaign.config, config.embeddings);
    const all = [...kept, ...items];
    const texts = [...all.map(candidateText), ...benchmarks.map((b) => b.text)];
    const { vectors } = await embedTexts(s, campaign, endpoint, texts, 'clean-embeddings');
    const found = semanticDrops(all, vectors.slice(0, all.length), benchmarks, vectors.slice(all.length), config.embeddings);
    const judged = new Set(items.map((item) => item.itemId));
    for (const [itemId, drop] of found) if (judged.has(itemId)) drops.set(itemId, drop);
  }
  const undropped = () => items.filter((item) => !drops.has(item.itemId));
  if (config.perplexity) {
    for (const [itemId, drop] of await perplexityDrops(s, campaign, undropped(), config.perplexity)) drops.set(itemId, drop);
  }
  if (config.qualityRating) {
    for (const [itemId, drop] of await qualityRatingDrops(s, campaign, undropped(), config.qualityRating)) drops.set(itemId, drop);
  }
  s.logger.info(
    { campaignId, items: items.length, dropped: drops.size, byReason: countByReason(drops) },
    'model-based clean filters done',
  );
  return drops;
}

function countByReason(drops: ReadonlyMap<number, CleanDrop>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const drop of drops.values()) counts[drop.reason] = (counts[drop.reason] ?? 0) + 1;
  return counts;
}
