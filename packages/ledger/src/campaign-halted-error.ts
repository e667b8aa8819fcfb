/** The campaign stops here: paused (budget) or cancelled. Nothing retries such a job. */
export class CampaignHaltedError extends Error {
  constructor(
    readonly campaignId: string,
    readonly status: string,
    message: string,
  ) {
    super(message);
    this.name = 'CampaignHaltedError';
  }
}
