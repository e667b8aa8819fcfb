import type { CampaignConfig } from '@tapir/core';
import { campaignStatus, createCampaign, reconcileCampaign } from '@tapir/pipeline';
import { waitFor, type TestEnv } from './test-env';

/**
 * Creates a campaign from a data file, enqueues it, and waits until its current round completes
 * (the test env's workers must be running, or be started by `beforeWait`). Fails fast if the
 * campaign fails.
 */
export async function completeCampaign(
  env: TestEnv,
  config: CampaignConfig,
  dataFile: string,
  beforeWait: () => void = () => undefined,
): Promise<string> {
  const { campaignId } = await createCampaign(env.pipeline.services.db, { config, dataFile });
  await reconcileCampaign(env.pipeline.services, campaignId);
  beforeWait();
  await waitFor('the campaign to complete', async () => {
    const s = await campaignStatus(env.pipeline.services.db, campaignId);
    if (s?.campaign.status === 'failed') throw new Error(`campaign failed: ${s.campaign.message}`);
    return s?.campaign.status === 'completed' ? s : undefined;
  });
  return campaignId;
}
