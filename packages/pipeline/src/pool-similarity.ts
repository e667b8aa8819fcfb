import { RougeLIndex } from '@tapir/core';
import type { Db } from '@tapir/db';

interface CampaignIndex {
  index: RougeLIndex;
  /** Items up to this id are in the index; later ones (new expansions) are added on the next use. */
  lastItemId: number;
  loading: Promise<void>;
}

const PAGE = 20_000;

/**
 * Per process, the campaign's instructions tokenised once for the ROUGE-L filter of new
 * instructions. Items are only ever added to a pool, so the index catches up by id.
 */
export class PoolSimilarity {
  private readonly campaigns = new Map<string, CampaignIndex>();

  constructor(private readonly db: Db) {}

  async index(campaignId: string): Promise<RougeLIndex> {
    let entry = this.campaigns.get(campaignId);
    if (!entry) {
      entry = { index: new RougeLIndex([]), lastItemId: 0, loading: Promise.resolve() };
      this.campaigns.set(campaignId, entry);
    }
    const current = entry;
    // One catch-up at a time per campaign, so no item is added twice.
    current.loading = current.loading.then(() => this.catchUp(campaignId, current));
    await current.loading;
    return current.index;
  }

  private async catchUp(campaignId: string, entry: CampaignIndex): Promise<void> {
    for (;;) {
      const page = await this.db.$client.query<{ id: number; instruction: string }>({
        name: 'tapir_pool_after',
        text: 'select id, instruction from items where campaign_id = $1 and id > $2 order by id limit $3',
        values: [campaignId, entry.lastItemId, PAGE],
      });
      for (const row of page.rows) entry.index.add(row.instruction);
      if (page.rows.length > 0) entry.lastItemId = page.rows[page.rows.length - 1]!.id;
      if (page.rows.length < PAGE) return;
    }
  }
}

const byDb = new WeakMap<Db, PoolSimilarity>();

export function poolSimilarity(db: Db): PoolSimilarity {
  let found = byDb.get(db);
  if (!found) {
    found = new PoolSimilarity(db);
    byDb.set(db, found);
  }
  return found;
}
