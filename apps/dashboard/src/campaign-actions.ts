import { cancelCampaign, CampaignControlError, pauseCampaign, reconcileCampaign, resumeCampaign, type PipelineServices } from '@tapir/pipeline';

export const CAMPAIGN_ACTIONS = ['pause', 'resume', 'cancel'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

export function isCampaignAction(value: string): value is CampaignAction {
  return (CAMPAIGN_ACTIONS as readonly string[]).includes(value);
}

export type ActionOutcome = { ok: true; message: string } | { ok: false; message: string };

/**
 * The dashboard's buttons run exactly what `tapir pause`, `tapir resume --detach` and `tapir
 * cancel` run: resume rebuilds the campaign's queues from PostgreSQL for the workers to pick up.
 */
export async function runCampaignAction(s: PipelineServices, campaignId: string, action: CampaignAction): Promise<ActionOutcome> {
  try {
    switch (action) {
      case 'pause':
        await pauseCampaign(s, campaignId);
        return { ok: true, message: `campaign ${campaignId} paused: jobs in flight finish, queued ones wait` };
      case 'resume':
        await resumeCampaign(s, campaignId);
        await reconcileCampaign(s, campaignId);
        return { ok: true, message: `campaign ${campaignId} resumed and enqueued (workers pick it up)` };
      case 'cancel': {
        const removed = await cancelCampaign(s, campaignId);
        return { ok: true, message: `campaign ${campaignId} cancelled: ${removed} queued job(s) removed` };
      }
    }
  } catch (err) {
    if (err instanceof CampaignControlError) return { ok: false, message: err.message };
    throw err;
  }
}
