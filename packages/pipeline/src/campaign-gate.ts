import { campaigns, HALTED_CAMPAIGN_STATUSES, type Db } from '@tapir/db';
import { eq } from 'drizzle-orm';

export interface CampaignState {
  status: string;
  budgeted: boolean;
}

/** Statuses in which no job of the campaign may do work (its jobs are dropped; resume re-enqueues). */
export const HALTED_STATUSES: ReadonlySet<string> = new Set(HALTED_CAMPAIGN_STATUSES);

/**
 * A short-lived cache of each campaign's status and whether it has a budget, so that every job
 * can ask "may I run?" without a query of its own; a pause or cancel reaches every worker within
 * `ttlMs`.
 */
export class CampaignGate {
  private readonly cache = new Map<string, { at: number; state: Promise<CampaignState | undefined> }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 1000,
  ) {}

  state(campaignId: string): Promise<CampaignState | undefined> {
    const now = Date.now();
    const hit = this.cache.get(campaignId);
    if (hit && now - hit.at < this.ttlMs) return hit.state;
    const state = this.db
      .select({ status: campaigns.status, budgetUsd: campaigns.budgetUsd, budgetTokens: campaigns.budgetTokens })
      .from(campaigns)
      .where(eq(campaigns.id, campaignId))
      .then(([row]) => (row ? { status: row.status, budgeted: row.budgetUsd !== null || row.budgetTokens !== null } : undefined));
    state.catch(() => this.cache.delete(campaignId));
    this.cache.set(campaignId, { at: now, state });
    return state;
  }

  async halted(campaignId: string): Promise<boolean> {
    const state = await this.state(campaignId);
    return state === undefined || HALTED_STATUSES.has(state.status);
  }

  forget(campaignId: string): void {
    this.cache.delete(campaignId);
  }
}
