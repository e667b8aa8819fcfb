import { createHash } from 'node:crypto';
import { normalizeText } from '@tapir/core';
import type { CampaignRuntime } from '../campaign-registry';
import { EndpointHealthCall } from '../endpoint-health';
import { sendHooks } from '../model-call';
import type { PipelineServices } from '../services';
import type { EmbeddingEndpoint } from './embedding-endpoint';
import { loadEmbeddings, storeEmbeddings } from './embedding-store';

/** Part of every embeddings ledger key: change it when what is sent for a text changes. */
export const EMBEDDINGS_PROMPT_VERSION = 'embeddings@1';

/**
 * What is sent for a text: normalised as exact dedup normalises (case, whitespace, NFKC), so that
 * copies differing only so share one embedding and one payment. The key is its sha256.
 */
export function embeddingInput(text: string): { text: string; hash: string } {
  const normalised = normalizeText(text);
  return { text: normalised, hash: createHash('sha256').update(normalised).digest('hex') };
}

/**
 * The vectors of `texts`, in order. Texts embedded before under the model (by any campaign) are
 * read from PostgreSQL; the rest are sent in batches of `batchSize`, each batch a ledger request
 * paid once, and stored. The batches are cut from the missing texts sorted by hash, so a rerun
 * after a crash asks the same batches and an answered one is served by the ledger.
 */
export async function embedTexts(
  s: PipelineServices,
  campaign: Pick<CampaignRuntime, 'id'>,
  endpoint: EmbeddingEndpoint,
  texts: readonly string[],
  purpose: string,
): Promise<{ vectors: Float32Array[]; sentBatches: number }> {
  const model = endpoint.provider.model;
  const inputs = texts.map(embeddingInput);
  const unique = new Map(inputs.map((i) => [i.hash, i.text]));
  const stored = await loadEmbeddings(s.db, model, [...unique.keys()]);
  const missing = [...unique.keys()].filter((hash) => !stored.has(hash)).sort();
  const batches: string[][] = [];
  for (let from = 0; from < missing.length; from += endpoint.batchSize) batches.push(missing.slice(from, from + endpoint.batchSize));

  if (batches.length > 0) {
    // The endpoint's breaker as for chat requests: a down endpoint postpones the clean job without
    // spending an attempt, a refused key pauses the campaign naming the field to fix.
    const health = new EndpointHealthCall(s, campaign.id, endpoint.identity);
    const hooks = await sendHooks(s, campaign, endpoint, health);
    // Every batch settles before a failure is thrown: a retry must not resend one still in flight.
    const settled = await Promise.allSettled(
      batches.map((hashes) =>
        s.ledger.embed(
          endpoint.provider,
          { texts: hashes.map((h) => unique.get(h) as string), promptVersion: EMBEDDINGS_PROMPT_VERSION },
          { campaignId: campaign.id, role: 'embeddings', purpose },
          endpoint.price,
          hooks,
          (batch, callId) => storeEmbeddings(s.db, model, callId, hashes.map((textHash, i) => ({ textHash, vector: batch.vectors[i] as Float32Array }))),
        ),
      ),
    );
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw await health.explain(failure.reason);
    // Batches a twin answered stored their vectors under the same keys; read them all back once.
    for (const [hash, vector] of await loadEmbeddings(s.db, model, missing)) stored.set(hash, vector);
  }
  const vectors = inputs.map((input) => {
    const vector = stored.get(input.hash);
    if (vector === undefined) throw new Error(`embedding of model ${model} for text hash ${input.hash} is missing after its request was answered`);
    return vector;
  });
  return { vectors, sentBatches: batches.length };
}
